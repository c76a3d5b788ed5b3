"""Objects on the walked case for the access-policy test: each part of the case file adds a
provider returning the URL keyword values its URLs need (e.g. {"service_id": 3})."""
PROVIDERS = []


def provider(fn):
    PROVIDERS.append(fn)
    return fn


def case_file_values(network, case) -> dict:
    values = {}
    for fn in PROVIDERS:
        values.update(fn(network, case))
    return values
