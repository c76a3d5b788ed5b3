"""Enumerate every named URL of the project and build a concrete path for it."""
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from named_patterns(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def url_names():
    return sorted({name for name, _ in named_patterns()})


def build(name, values):
    """Reverse `name` with whatever keyword arguments it takes, drawn from `values`."""
    from django.urls import NoReverseMatch

    with translation.override("en"):
        for kwargs_names in _kwarg_sets(name):
            try:
                return reverse(name, kwargs={k: values[k] for k in kwargs_names})
            except (NoReverseMatch, KeyError):
                continue
    raise LookupError(f"cannot build a URL for {name}")


def _kwarg_sets(name):
    resolver = get_resolver()
    *namespaces, view = name.split(":")
    for ns in namespaces:
        resolver = resolver.namespace_dict[ns][1]
    for possibility, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(view):
        for _result, params in possibility:
            yield params
