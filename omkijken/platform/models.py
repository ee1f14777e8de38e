"""Imports every model, so the metadata (and Alembic) sees all tables."""

from omkijken.platform.accounts.models import RoleGrant, User, Vangnet  # noqa: F401
from omkijken.platform.areas.models import Buurt, Gemeente, Wijk  # noqa: F401
from omkijken.platform.insights.models import Wachtlijstrapport  # noqa: F401
from omkijken.platform.koppelingen.models import Afhandeling, Checkin, Dienst, Koppeling, Voorstel  # noqa: F401
from omkijken.platform.posts.models import (  # noqa: F401
    Aanbod,
    Activiteit,
    Bericht,
    Gesprek,
    Hulpvraag,
    Initiatief,
    Melding,
    Ontmoetingsplek,
    Post,
    Vacature,
)
from omkijken.platform.subsidies.models import (  # noqa: F401
    Begrotingsregel,
    Bijlage,
    Regeling,
    Subsidieaanvraag,
    SubsidieBericht,
)
from omkijken.platform.system.models import AuditEntry, OutboxMessage, WorkerHeartbeat  # noqa: F401
from omkijken.platform.wijkagenda.models import (  # noqa: F401
    Agendapunt,
    Agendathema,
    Puntvolger,
    Reactie,
    SocialeAgenda,
    Steun,
    Wijkvolger,
)
