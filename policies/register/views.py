"""Register pages, open to everyone: the list with its search and filters, and a page per public decision.

What they show comes from policies/queries/register.py as RegisterEntry rows, which hold only public fields.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from policies.queries import register

from .forms import RegisterFilterForm

# Five minutes: a decision made public reaches the page soon enough, and a reload costs the server nothing.
MAX_AGE = 300


def cached_briefly(request, response):
    """Pages may be kept five minutes by the visitor's browser, never by a shared cache.

    Every page carries the language switch, a form with a CSRF token whose cookie each answer renews; a shared
    cache would hand one visitor's cookie to the next. A signed-in person's header names them: their copy must
    not outlive their session on a shared computer, so it is revalidated each time. (The feed, which sets no
    cookie, is public: feeds.py.)
    """
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, private=True, max_age=MAX_AGE)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@require_safe
def decision_list(request):
    form = RegisterFilterForm(request.GET or None, choices=register.filter_choices())
    if not form.is_bound:
        page = register.register_page(register.RegisterQuery(), request.GET.get("page"))
    elif form.is_valid():
        page = register.register_page(form.register_query(), request.GET.get("page"))
    else:
        page = register.no_entries()  # never the unfiltered list under filters that could not be read
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "filtered": form.is_bound}
    return cached_briefly(request, render(request, "register/list.html", context))


@require_safe
def decision_detail(request, number: str):
    entry = register.public_entry(number)
    if entry is None:
        raise Http404  # not a decision, or not a public one: the same answer, so nothing is told
    return cached_briefly(request, render(request, "register/detail.html", {"entry": entry}))
