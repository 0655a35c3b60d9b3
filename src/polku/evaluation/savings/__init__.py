"""Cost savings: the benefits not paid while participants are in work, under rule sets held as
data (../shared/domain/BENEFITS_AND_SAVINGS.md)."""
