"""API shapes for delegations. Input serializers only parse; services decide."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    CandidateVisit,
    Delegation,
    DelegationDay,
    DelegationMember,
    Exclusion,
    HostingWindow,
    HostWish,
    Interest,
    PlanningRun,
    PublishedVisit,
    Visit,
    VisitRequest,
)
from ..services.common import minutes_of


class DelegationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="organisation.country.code", read_only=True)
    liaison_officer = serializers.CharField(
        source="liaison_officer.email", read_only=True, default=None, allow_null=True
    )
    member_count = serializers.IntegerField(read_only=True)
    visit_count = serializers.IntegerField(read_only=True)
    published_at = serializers.DateTimeField(
        source="programme.published_at", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Delegation
        fields = [
            "id",
            "official_name",
            "country",
            "protocol_level",
            "languages",
            "interpreter_needed",
            "liaison_officer",
            "member_count",
            "visit_count",
            "published_at",
        ]


class DelegationDetailSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="organisation.country.code", read_only=True)
    internal_notes = serializers.SerializerMethodField()

    class Meta:
        model = Delegation
        fields = [
            "id",
            "official_name",
            "country",
            "protocol_level",
            "languages",
            "interpreter_needed",
            "liaison_officer",
            "internal_notes",
        ]

    @extend_schema_field(
        serializers.CharField(allow_null=True, help_text="null unless you may read the internal notes")
    )
    def get_internal_notes(self, obj):
        request = self.context.get("request")
        if request is not None and request.user.has_perm("delegations.view_internal_notes", obj):
            return obj.internal_notes
        return None


class DelegationCreateSerializer(serializers.Serializer):
    """An official delegation, registered by the organiser: admitted at once; its head, if an
    e-mail address is given, is invited to sign in."""

    official_name = serializers.CharField(max_length=250)
    country = serializers.CharField(max_length=2, help_text="ISO 3166 code")
    protocol_level = serializers.ChoiceField(
        choices=Delegation.ProtocolLevel.choices, default=Delegation.ProtocolLevel.TECHNICAL
    )
    languages = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="e.g. English, French"
    )
    head_email = serializers.EmailField(
        required=False, allow_blank=True, default="", help_text="the head of delegation, invited to sign in"
    )

    def validate_country(self, value: str) -> str:
        code = value.strip().upper()
        if code not in countries:
            raise serializers.ValidationError(_("Choose a country from the list."))
        return code


class DelegationUpdateSerializer(serializers.Serializer):
    official_name = serializers.CharField(max_length=250, required=False)
    protocol_level = serializers.ChoiceField(choices=Delegation.ProtocolLevel.choices, required=False)
    languages = serializers.CharField(max_length=100, required=False, allow_blank=True)
    interpreter_needed = serializers.BooleanField(required=False)
    internal_notes = serializers.CharField(required=False, allow_blank=True)


class DelegationDaySerializer(serializers.ModelSerializer):
    """A day the delegation is on the floor (show's local times): where it starts and ends is an
    entrance's door code or a lounge's feature code on the floor plan. The lunch break is the
    planner's."""

    class Meta:
        model = DelegationDay
        fields = [
            "id",
            "date",
            "start",
            "end",
            "start_point",
            "end_point",
            "lunch_start",
            "lunch_end",
            "lunch_place",
        ]
        read_only_fields = ["id", "lunch_start", "lunch_end", "lunch_place"]


class VisitRequestSerializer(serializers.ModelSerializer):
    """A delegation asks an exhibiting company for a visit; the company accepts (its stands
    become candidate visits for the planner) or declines."""

    delegation_name = serializers.CharField(source="delegation.official_name", read_only=True)
    company_name = serializers.CharField(source="company.name", read_only=True)

    class Meta:
        model = VisitRequest
        fields = [
            "id",
            "delegation",
            "delegation_name",
            "company",
            "company_name",
            "message",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class VisitRequestInputSerializer(serializers.Serializer):
    company = serializers.IntegerField(help_text="the exhibiting company's organisation id")
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true to accept the visit, false to decline it")


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = DelegationMember
        fields = ["id", "name", "title", "organisation", "role", "email", "language", "is_head"]


class InterestSerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="sector code; null for an interest in one exhibitor",
    )
    exhibitor_name = serializers.CharField(
        source="exhibitor.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Interest
        fields = ["id", "sector", "exhibitor", "exhibitor_name", "priority"]
        read_only_fields = ["exhibitor"]


class InterestInputSerializer(serializers.Serializer):
    sector = serializers.CharField(required=False, allow_blank=True, help_text="sector code")
    exhibitor = serializers.IntegerField(required=False, allow_null=True, help_text="organisation id")
    priority = serializers.IntegerField(min_value=1, max_value=5, default=3)


class HostingWindowSerializer(serializers.ModelSerializer):
    stand = serializers.CharField(source="stand.number", read_only=True, default=None, allow_null=True)

    class Meta:
        model = HostingWindow
        fields = ["id", "organisation", "stand", "date", "start", "end"]


class HostingWindowInputSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    stand = serializers.CharField(required=False, allow_blank=True)
    date = serializers.DateField()
    start = serializers.TimeField()
    end = serializers.TimeField()


class VisitSerializer(serializers.ModelSerializer):
    stand = serializers.CharField(source="stand.number", read_only=True)
    exhibitor = serializers.CharField(
        source="stand.exhibitor.name", read_only=True, default=None, allow_null=True
    )
    delegation = serializers.IntegerField(source="delegation_id", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "uid",
            "delegation",
            "date",
            "stand",
            "exhibitor",
            "start",
            "end",
            "status",
            "pinned",
            "sequence",
        ]


class HallVisitSerializer(VisitSerializer):
    """A visit as the per-hall view lists it: the delegation named, for the exhibitors to warn."""

    delegation_name = serializers.CharField(source="delegation.official_name", read_only=True)

    class Meta(VisitSerializer.Meta):
        fields = [*VisitSerializer.Meta.fields, "delegation_name"]


class HallVisitsQuerySerializer(serializers.Serializer):
    hall = serializers.CharField(max_length=20, help_text="the hall's code, e.g. 5A")
    date = serializers.DateField(help_text="a day of the show")


class PublishedVisitSerializer(serializers.ModelSerializer):
    stand = serializers.CharField(source="stand.number", read_only=True)
    hall = serializers.CharField(source="stand.hall.code", read_only=True)
    exhibitor = serializers.CharField(
        source="stand.exhibitor.name", read_only=True, default=None, allow_null=True
    )
    local_start = serializers.SerializerMethodField()

    class Meta:
        model = PublishedVisit
        fields = ["uid", "date", "stand", "hall", "exhibitor", "start", "end", "local_start", "sequence"]

    @extend_schema_field(serializers.CharField(help_text="HH:MM in the event's time zone"))
    def get_local_start(self, obj):
        m = minutes_of(self.context["event"], obj.start)
        return f"{int(m) // 60:02d}:{int(m) % 60:02d}"


class VisitInputSerializer(serializers.Serializer):
    stand = serializers.CharField(required=False)
    date = serializers.DateField(required=False)
    start = serializers.TimeField(required=False)
    duration = serializers.IntegerField(min_value=5, max_value=240, required=False)
    pinned = serializers.BooleanField(required=False)


class PlanningInputSerializer(serializers.Serializer):
    delegation = serializers.IntegerField(required=False, allow_null=True)
    time_limit = serializers.FloatField(min_value=0.5, max_value=600, default=20)


class ProgrammeSerializer(serializers.Serializer):
    """The published programme as ``ProgrammeView.get`` returns it."""

    delegation = serializers.IntegerField()
    published_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField(help_text="0 until the programme is first published")
    visits = PublishedVisitSerializer(many=True)


class PublishResultSerializer(serializers.Serializer):
    """What publishing changed (``services.publish_programme``)."""

    added = serializers.IntegerField()
    moved = serializers.IntegerField()
    removed = serializers.IntegerField()
    notified = serializers.IntegerField(help_text="e-mails queued")


class PlanningRunSerializer(serializers.Serializer):
    """A planning run as the API returns it (``views._run``)."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PlanningRun.Status.choices)
    progress = serializers.FloatField()
    message = serializers.CharField()
    delegation = serializers.IntegerField(allow_null=True, help_text="null: every delegation")
    time_limit = serializers.FloatField()
    stats = serializers.DictField()
    cancel_requested = serializers.BooleanField()


class DelegationAdmissionSerializer(serializers.ModelSerializer):
    """Whether the show receives the delegation: withdrawn, its members have lost access."""

    received = serializers.SerializerMethodField()
    received_since = serializers.DateTimeField(
        source="organisation.admitted_at", read_only=True, allow_null=True, help_text="null while withdrawn"
    )
    admission_note = serializers.CharField(
        source="organisation.admission_note",
        read_only=True,
        help_text="why it was withdrawn (or received again), as the audit log keeps it",
    )

    class Meta:
        model = Delegation
        fields = ["id", "official_name", "received", "received_since", "admission_note"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_received(self, obj) -> bool:
        return obj.organisation.admitted_at is not None


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="required: why the delegation is withdrawn (it stays in the audit log)",
    )


class RunningLateSerializer(serializers.Serializer):
    """The delegation is late on a day: ready again at ``not_before`` (show's local time)."""

    date = serializers.DateField(help_text="a day the delegation is on site")
    not_before = serializers.TimeField(help_text="when the delegation is ready again")
    since = serializers.TimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="visits starting from this time until it is ready again were missed and may be "
        "placed later in the day (default: not_before)",
    )


class RunningLateResultSerializer(serializers.Serializer):
    """What the re-plan changed (``services.running_late``); changed programmes are published."""

    changed_delegations = serializers.ListField(
        child=serializers.IntegerField(), help_text="ids of the delegations whose programme changed"
    )
    seconds = serializers.FloatField(help_text="the whole re-plan, in seconds")
    planner_seconds = serializers.FloatField()
    notified = serializers.IntegerField(help_text="e-mails queued")


class PublishAllResultSerializer(serializers.Serializer):
    """What publishing every programme changed (``services.publish_all``)."""

    delegations = serializers.IntegerField(help_text="programmes that changed")
    added = serializers.IntegerField()
    moved = serializers.IntegerField()
    removed = serializers.IntegerField()
    notified = serializers.IntegerField(help_text="e-mails queued")


class ExclusionSerializer(serializers.ModelSerializer):
    """A pairing never planned: the delegation and one company, or every company of a country."""

    company_name = serializers.CharField(source="company.name", read_only=True, default=None, allow_null=True)
    country = serializers.CharField(read_only=True, help_text="ISO 3166 code; empty for one company")

    class Meta:
        model = Exclusion
        fields = ["id", "company", "company_name", "country", "reason"]
        read_only_fields = fields


class ExclusionInputSerializer(serializers.Serializer):
    company = serializers.IntegerField(
        required=False, allow_null=True, help_text="an exhibiting company's organisation id"
    )
    country = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        default="",
        help_text="or an ISO 3166 code: every company of that country",
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate_country(self, value: str) -> str:
        code = value.strip().upper()
        if code and code not in countries:
            raise serializers.ValidationError(_("Choose a country from the list."))
        return code


class CandidateSerializer(serializers.ModelSerializer):
    """A visit the planner may put in the programme, with what it weighs for the planner."""

    stand = serializers.CharField(source="stand.number", read_only=True)
    exhibitor = serializers.CharField(
        source="stand.exhibitor.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = CandidateVisit
        fields = ["id", "stand", "exhibitor", "source", "score", "score_adjusted", "duration", "required"]
        read_only_fields = fields


class CandidateInputSerializer(serializers.Serializer):
    score = serializers.FloatField(
        min_value=0.1, max_value=1000, required=False, help_text="set by hand from now on"
    )
    duration = serializers.IntegerField(min_value=5, max_value=240, required=False, help_text="minutes")
    required = serializers.BooleanField(required=False)


class NewCandidateSerializer(serializers.Serializer):
    """A candidate visit added by hand: a stand of an admitted exhibitor (an exhibitor's wish to
    host the delegation becomes one this way)."""

    stand = serializers.CharField(max_length=20, help_text="the stand's number")
    score = serializers.FloatField(min_value=0.1, max_value=1000, default=10.0)
    duration = serializers.IntegerField(min_value=5, max_value=240, default=20, help_text="minutes")
    required = serializers.BooleanField(default=False)


class InviteHeadSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="the head of delegation's e-mail address")


class HostingCapacitySerializer(serializers.Serializer):
    """How many delegations a stand receives at once (1 until its exhibitor says otherwise)."""

    stand = serializers.CharField(source="number", read_only=True)
    hall = serializers.CharField(source="hall.code", read_only=True)
    exhibitor = serializers.IntegerField(source="exhibitor_id", read_only=True, help_text="organisation id")
    exhibitor_name = serializers.CharField(source="exhibitor.name", read_only=True)
    capacity = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField(help_text="delegations received at once"))
    def get_capacity(self, obj) -> int:
        hosting = getattr(obj, "hosting", None)  # no row yet: one at a time
        return hosting.capacity if hosting is not None else 1


class HostingCapacityInputSerializer(serializers.Serializer):
    capacity = serializers.IntegerField(min_value=1, max_value=20, help_text="delegations received at once")


class HostWishSerializer(serializers.ModelSerializer):
    """An exhibitor would like to host this delegation (the organisers see it as a suggestion)."""

    company_name = serializers.CharField(source="company.name", read_only=True)
    delegation_name = serializers.CharField(source="delegation.official_name", read_only=True)

    class Meta:
        model = HostWish
        fields = ["id", "company", "company_name", "delegation", "delegation_name", "note"]
        read_only_fields = fields


class HostWishInputSerializer(serializers.Serializer):
    company = serializers.IntegerField(help_text="your company's organisation id")
    delegation = serializers.IntegerField(
        help_text="a delegation of the show (see hosting-wishes/delegations/)"
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DelegationToHostSerializer(serializers.ModelSerializer):
    """A delegation of the show, as the hosting page offers it to choose from."""

    class Meta:
        model = Delegation
        fields = ["id", "official_name"]
        read_only_fields = fields
