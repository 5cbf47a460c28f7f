"""The register's Atom feed (/register/feed.atom): the decisions made public most recently, newest first.

Built with Django's syndication framework; answers conditional GETs (ETag over the body, Last-Modified from
the latest decision made public) and may be kept by shared caches for five minutes: it sets no cookie.
"""

import hashlib

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from policies.queries import register

from .views import MAX_AGE


class RegisterFeed(Feed):
    """In the reader's language (Django's default for `language`: the active one), Korean unless asked."""

    feed_type = Atom1Feed

    def title(self):
        return _("National Bio Committee: public decision register")

    def subtitle(self):
        return _("Decisions of the National Bio Committee and its subcommittees, as made public.")

    def link(self):
        return reverse("register:list")

    def feed_url(self):
        return reverse("register:feed")

    def author_name(self):
        return _("National Bio Committee")  # the committee speaks here, never a member of its staff

    def items(self):
        return register.latest_entries()

    def item_title(self, entry):
        return f"{entry.number} {entry.title}"

    def item_description(self, entry):
        # Atom's summary is HTML here (Django writes type="html"): the typed summary is escaped, never markup.
        return linebreaks(f"{entry.outcome_label}. {entry.public_summary}", autoescape=True)

    def item_link(self, entry):
        return reverse("register:decision", args=[entry.number])

    def item_pubdate(self, entry):
        return entry.made_public_at

    def item_updateddate(self, entry):
        return entry.made_public_at

    def item_categories(self, entry):
        return [value for value in (entry.committee_code, entry.policy_area, entry.outcome_label) if value]


@require_safe
def register_feed(request):
    response = RegisterFeed()(request)
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    last_made_public = register.last_made_public_at()
    # An empty register has nothing to date: its body (and ETag) alone answer the conditional request.
    last_modified = int(last_made_public.timestamp()) if last_made_public else None
    if last_modified is None:
        del response["Last-Modified"]  # Django's "now" for a feed without entries
    response = get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ("Accept-Language",))
    return response
