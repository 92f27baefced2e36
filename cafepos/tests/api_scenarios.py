"""schemathesis against a running server, shared by the main suite and the fault tests: the published schema,
the checks (no 5xx; status, content type and body as documented) and the stateful phase, which follows the
schema's links (cafepos/api/links.py) with the ids and versions the server answered."""

import uuid

import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as run_with
from rest_framework.test import APIClient

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
BOUNDED = {"deadline": None, "derandomize": True, "suppress_health_check": list(HealthCheck)}


def published_schema():
    """The schema as the server publishes it (generating it reads no database).

    Call sequences follow the schema's own links with valid data (invalid data is the other phases' job); the
    links schemathesis would infer add guesses such as a line id sent as `X-Staff-Id`.
    """
    schema = schemathesis.openapi.from_dict(
        APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    )
    schema.config.phases.stateful.generation.update(modes=["positive"])
    schema.config.phases.stateful.inference.algorithms = []
    return schema


def run_scenarios(schema, *, base_url: str, headers: dict, query: dict | None = None, examples: int, steps: int):
    """Linked call sequences as one caller (`query` joins every request's); fails on the first broken check."""

    class Scenarios(schema.as_state_machine()):
        def before_call(self, case):
            if "Idempotency-Key" in (case.headers or {}):  # a client's fresh key per operation
                case.headers["Idempotency-Key"] = uuid.uuid4().hex
            if query:
                case.query = {**query, **(case.query or {})}

        def get_call_kwargs(self, case):
            return {"base_url": base_url, "headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers, transport_kwargs=kwargs)

    Scenarios.run(settings=run_with(max_examples=examples, stateful_step_count=steps, **BOUNDED))
