from functools import wraps

from django.contrib.auth.decorators import login_not_required


def public_page(view):
    """A page of the public portal: no sign-in, no cookies, nothing cached (see middleware)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapper.rete_public = True
    return login_not_required(wrapper)
