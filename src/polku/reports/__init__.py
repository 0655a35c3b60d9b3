"""Rendering of documents and charts shared by the apps: PDF now; CSV, XLSX and SVG as issues need
them (ARCHITECTURE.md, "reports")."""
