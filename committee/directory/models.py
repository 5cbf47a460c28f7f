"""Who is who: committees, agencies, committee memberships and people's profiles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from committee.dates import seoul_today

code_validator = RegexValidator(r"^[A-Z][A-Z0-9-]{1,19}$", _("Use 2-20 capital letters, digits or hyphens."))


class BilingualName(models.Model):
    """Korean and English names, with the one in the active language first."""

    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return self.name_ko if (get_language() or "ko").startswith("ko") else self.name_en


class Committee(BilingualName):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary committee")
        SUBCOMMITTEE = "subcommittee", _("Subcommittee")
        WORKING_GROUP = "working_group", _("Working group")

    class QuorumRule(models.TextChoices):
        MAJORITY = "majority", _("More than half of current members")
        TWO_THIRDS = "two_thirds", _("At least two thirds of current members")
        FIXED = "fixed", _("A fixed number of members")

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcommittees",
    )
    description = models.TextField(_("description"), blank=True)
    quorum_rule = models.CharField(
        _("quorum rule"), max_length=20, choices=QuorumRule.choices, default=QuorumRule.MAJORITY
    )
    quorum_fixed = models.PositiveSmallIntegerField(
        _("fixed quorum"), null=True, blank=True, help_text=_("Only used with the fixed-number rule.")
    )
    delegates_count_for_quorum = models.BooleanField(
        _("delegates count towards quorum"),
        default=True,
        help_text=_("Whether a member represented by a delegate counts as attending."),
    )
    agencies = models.ManyToManyField(
        "Agency", verbose_name=_("member agencies"), related_name="committees", blank=True
    )
    secretariat = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretariat staff"),
        related_name="staffed_committees",
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.CheckConstraint(
                condition=~Q(quorum_rule="fixed") | Q(quorum_fixed__gte=1),
                name="committee_fixed_quorum_has_number",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        if self.quorum_rule == self.QuorumRule.FIXED and not self.quorum_fixed:
            raise ValidationError({"quorum_fixed": _("Give the number of members that makes a quorum.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A committee cannot be its own parent.")})

    def current_memberships(self, on=None):
        on = on or seoul_today()
        return self.memberships.filter(Q(term_end__isnull=True) | Q(term_end__gte=on), term_start__lte=on)

    def quorum_for(self, member_count: int) -> int:
        """How many members must be present for this committee to decide."""
        if self.quorum_rule == self.QuorumRule.FIXED:
            return self.quorum_fixed or 1
        if self.quorum_rule == self.QuorumRule.TWO_THIRDS:
            return -(-2 * member_count // 3)  # ceiling of 2n/3
        return member_count // 2 + 1


class Agency(BilingualName):
    """A ministry or agency: reference data shared by every committee, kept by superusers.

    Its acronym names it in proposals' files, the API and people's minds, so once anything refers to the
    agency the acronym never changes: clean() says so on every form, and save() refuses it for any other path.
    """

    acronym = models.CharField(_("acronym"), max_length=20, unique=True, validators=[code_validator])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return f"{self.acronym} {self.name}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "acronym" in update_fields:
            self.refuse_acronym_change_in_use()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.refuse_acronym_change_in_use()

    def refuse_acronym_change_in_use(self) -> None:
        if self.pk is None:
            return
        stored = Agency.objects.filter(pk=self.pk).values_list("acronym", flat=True).first()
        if stored is not None and stored != self.acronym and self.is_in_use():
            raise ValidationError(
                {
                    "acronym": _(
                        "%(acronym)s is in use (proposals, consultations, liaisons, memberships or committees "
                        "refer to it), so its acronym cannot change."
                    )
                    % {"acronym": stored}
                }
            )

    def is_in_use(self) -> bool:
        """Whether any row refers to this agency, through any relation of any app (the directory names none)."""
        for relation in self._meta.get_fields(include_hidden=True):
            if not (relation.is_relation and relation.auto_created and not relation.concrete):
                continue
            if relation.related_model._base_manager.filter(**{relation.field.name: self.pk}).exists():
                return True
        return False


class CommitteeMembership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        EX_OFFICIO = "ex_officio", _("Ex-officio member")
        EXPERT = "expert", _("Appointed expert")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EXPERT)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency represented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("For ex-officio members: the ministry whose head sits on the committee."),
    )
    term_start = models.DateField(_("term start"), default=seoul_today)
    term_end = models.DateField(_("term end"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "role", "user__last_name"]
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        constraints = [
            models.UniqueConstraint(fields=["committee", "user", "term_start"], name="membership_unique_term"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="membership_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.committee.code} ({self.get_role_display()})"

    def clean(self):
        if self.term_end and self.term_start and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term cannot end before it starts.")})

    def is_current(self, on=None) -> bool:
        on = on or seoul_today()
        return self.term_start <= on and (self.term_end is None or self.term_end >= on)


class Profile(models.Model):
    """What the committee needs to know about a user beyond Django's auth: agency and language."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("liaison of agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaisons",
        help_text=_("Set for agency liaisons: they act for this agency."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)


class ApiToken(AbstractAuthToken):
    """An API token: django-rest-knox stores only its hash and the first characters (`token_key`) to find it.

    `expiry` moves on with use (idle expiry); `last_used` says when, to the minute (committee/directory/tokens.py).
    """

    last_used = models.DateTimeField(pgettext_lazy("api token", "last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} {self.token_key[:8]}…"


def profile_of(user) -> Profile | None:
    """The user's profile, or None for anonymous users and users without one."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def liaison_agency_id(user) -> int | None:
    profile = profile_of(user)
    return profile.agency_id if profile else None
