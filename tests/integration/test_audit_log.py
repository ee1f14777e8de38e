"""The logboek names the decisions of every domain that writes the audit log; each domain registers
its own labels with ``system.audit`` (it sits below them all)."""

from __future__ import annotations

from omkijken.platform.subsidies.vocabulary import NOTITIE_LABELS, STATUS_LABELS
from omkijken.platform.system import audit
from omkijken.platform.wijkagenda import vocabulary


def test_every_domain_that_writes_the_log_names_its_decisions(app):
    labels = audit.labels()
    assert labels["subsidieaanvraag:toegekend"] == STATUS_LABELS["toegekend"]
    assert labels["subsidieaanvraag:betaald"] == NOTITIE_LABELS["betaald"]
    for onderwerp in ("agendapunt", "melding", "post", "sociale_agenda"):
        assert labels[f"{onderwerp}:verbergen"] == vocabulary.BESLUITEN["verbergen"]
    assert labels["account:rollen"] == "Rollen gewijzigd"
    assert {key.split(":")[0] for key in labels} == {"subsidieaanvraag", "agendapunt", "melding", "post",
                                                     "sociale_agenda", "account"}
