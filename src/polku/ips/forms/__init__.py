"""Input forms of the IPS app, one module per area. Rules live in the services; forms check
types and shapes."""

from polku.ips.services.counselling import BenefitTopic

# The topic codes a benefits counselling record may hold (models.BenefitsCounselling.topics).
BENEFIT_TOPICS = BenefitTopic.choices
