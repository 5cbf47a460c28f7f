"""How the portal answers a refused verb, once for every view: on the form, in a message, or as a page saying why.

Refusals carry their HTTP status (policies.workflow.WorkflowError); invalid input is a 400. A verb that
refuses has rolled its transaction back, so nothing is half saved; the form keeps what the user typed.
"""

from functools import wraps

from django.core.exceptions import ValidationError
from django.shortcuts import render

from policies.workflow import WorkflowError

from .forms import add_service_errors

# What a verb may raise instead of doing its work: a refusal, or input it found invalid.
REFUSALS = (WorkflowError, ValidationError)


def status_of(error) -> int:
    """The page's HTTP status: the one the refusal carries, or 400 for invalid input."""
    return error.status if isinstance(error, WorkflowError) else 400


def reason(error) -> str:
    """Why, in words for a message."""
    if isinstance(error, WorkflowError):
        return str(error.message)
    return " ".join(str(message) for message in error.messages)


def refuse(request, message, status=403):
    """A page that says plainly why the user cannot do this here."""
    return render(request, "portal/refused.html", {"message": message}, status=status)


def refusals_as_pages(view):
    """A refusal the view leaves to its caller becomes the page that says why, at the status it carries."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except WorkflowError as error:
            return refuse(request, error.message, error.status)

    return answer


def outcome(call) -> tuple[object, Exception | None]:
    """Call a service verb: (its result, None), or (None, the refusal or invalid input it raised instead)."""
    try:
        return call(), None
    except REFUSALS as error:
        return None, error


def attempt(form, verb, *, aliases=None) -> tuple[object, int]:
    """Call a service verb for a form: (its result, 200), or (None, the page's status) with the reason on the form.

    Invalid input lands on the fields the verb names (`aliases` renames them to the form's), a refusal on
    the form as a whole.
    """
    result, error = outcome(verb)
    if isinstance(error, ValidationError):
        add_service_errors(form, error, aliases=aliases)
    elif error is not None:
        form.add_error(None, error.message)
    return result, 200 if error is None else status_of(error)


def apply_form(form, verb) -> int:
    """Validate the form and hand its data to a service verb; the page's status (200 when the verb succeeded)."""
    if not form.is_valid():
        return 400
    return attempt(form, lambda: verb(**form.cleaned_data))[1]
