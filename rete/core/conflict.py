"""The rows of the stale-edit panel (templates/includes/conflict.html): one per field, her value
beside the saved one, and whether they differ. Every edit form builds its rows with this."""


def conflict_row(label, mine, saved, *, show=None) -> dict:
    """`show` turns a stored value into what the page prints (a choice's label, a date); the
    comparison is on the values themselves, an empty value being equal to another empty one."""
    show = show or (lambda value: value)
    return {"label": label, "mine": show(mine), "saved": show(saved), "differs": (mine or "") != (saved or "")}
