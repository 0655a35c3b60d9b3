"""Every write in the IPS app about the client and the specialists' time, one module per area
(ARCHITECTURE.md, "Inside an app"). Fidelity reviews live in `polku.ips.fidelity`."""
