"""One delegation: its detail page and actions, its programme, the PDF and the calendar feed."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from exhibition.accounts import admission
from exhibition.accounts.roles import roles_for
from exhibition.core import formats
from exhibition.core.errors import DomainError
from exhibition.core.redirects import safe_next

from .. import forms as f
from .. import selectors, services
from ..ics import programme_ics
from .common import DelegationPage, posted_id

# --- one delegation -----------------------------------------------------------------------------------


class DelegationMixin(DelegationPage):
    """One delegation of the event (404 for another event's), checked against the view's permission."""

    permission_required = "delegations.view_delegation"

    def get_permission_object(self):
        if getattr(self, "delegation", None) is None:
            self.delegation = selectors.delegation_in_event(self.request.event, self.kwargs["pk"])
        return self.delegation


ACTIONS = {
    "edit": "edit_form",
    "day": "day_form",
    "member": "member_form",
    "interest": "interest_form",
    "invite": "invite_form",
    "exclusion": "exclusion_form",
    "request": "request_form",
}


class DelegationDetailView(DelegationMixin, View):
    def forms(self, data=None, action=None):
        event, d, user = self.request.event, self.delegation, self.request.user
        organiser = user.has_perm("delegations.manage_programme", d)
        bound = lambda name: data if action == name else None  # noqa: E731
        out = {}
        if user.has_perm("delegations.change_delegation", d):
            out["edit_form"] = f.DelegationForm(bound("edit"), instance=d, event=event, organiser=organiser)
            out["day_form"] = f.DayForm(bound("day"), event=event)
            out["member_form"] = f.MemberForm(bound("member"), delegation=d)
            out["interest_form"] = f.InterestForm(bound("interest"), event=event)
        if user.has_perm("delegations.request_visit", d):
            out["request_form"] = f.RequestVisitForm(bound("request"), event=event)
        if organiser:
            out["invite_form"] = f.InviteHeadForm(bound("invite"))
            out["exclusion_form"] = f.ExclusionForm(bound("exclusion"), event=event)
        return out

    def render_page(self, forms, status=200):
        d = self.delegation
        ctx = {
            "delegation": d,
            **selectors.delegation_detail(d),
            **forms,
            "can_change": self.request.user.has_perm("delegations.change_delegation", d),
            "is_organiser": self.request.user.has_perm("delegations.manage_programme", d),
            "show_notes": self.request.user.has_perm("delegations.view_internal_notes", d),
        }
        return render(self.request, "delegations/detail.html", ctx, status=status)

    def get(self, request, event_slug, pk):
        return self.render_page(self.forms())

    def post(self, request, event_slug, pk):
        action = request.POST.get("action", "")
        back = redirect(safe_next(request, "delegations:detail", request.event.slug, self.delegation.pk))
        if action not in ACTIONS:

            def small():
                said = self.small_action(action)
                if said:
                    messages.success(request, said)

            return self.act(small, back=back)
        forms = self.forms(request.POST, action)
        form = forms.get(ACTIONS[action])
        if form is None:
            raise PermissionDenied

        def saved(form):
            messages.success(request, self.form_action(action, form.cleaned_data, form))
            return back

        return self.submit(form, saved, lambda form, status: self.render_page(forms, status=status))

    def form_action(self, action: str, c: dict, form) -> str:
        """Do the form's action; what happened, in words."""
        d, user = self.delegation, self.request.user
        if action == "edit":
            services.update_delegation(delegation=d, actor=user, **{k: c[k] for k in form.fields})
            return _("The delegation's details are saved.")
        if action == "day":
            day = date.fromisoformat(c["date"])
            services.set_day(
                delegation=d,
                actor=user,
                day=day,
                start=c["start"],
                end=c["end"],
                start_point=c["start_point"],
                end_point=c["end_point"],
            )
            return _("Day on site saved: %(day)s.") % {"day": formats.when(day, "day")}
        if action == "member":
            member = services.add_member(delegation=d, actor=user, **c)
            return _("Member added: %(name)s.") % {"name": member.name}
        if action == "interest":
            services.add_interest(
                delegation=d, actor=user, priority=c["priority"], sector=c["sector"], exhibitor=c["exhibitor"]
            )
            return _("Interest added.")
        if action == "invite":
            services.invite_head(delegation=d, actor=user, email=c["email"])
            return _("Invitation sent to %(email)s.") % {"email": c["email"]}
        if action == "exclusion":
            services.add_exclusion(
                delegation=d, actor=user, company=c["company"], country=c["country"] or "", reason=c["reason"]
            )
            return _("Exclusion added.")
        if action == "request":
            services.request_visit(delegation=d, actor=user, company=c["company"], message=c["message"])
            return _("Request sent to %(company)s; you will be told when they answer.") % {
                "company": c["company"].name
            }
        raise Http404

    def small_action(self, action: str) -> str:
        """Do a button's action; what happened, in words ("" when it is said already)."""
        d, user, post = self.delegation, self.request.user, self.request.POST
        if action == "remove_member":
            member = selectors.member_of_delegation(d, posted_id(post))
            services.remove_member(member=member, actor=user)
            return _("Member removed: %(name)s.") % {"name": member.name}
        if action == "remove_interest":
            services.remove_interest(
                interest=selectors.interest_of_delegation(d, posted_id(post)), actor=user
            )
            return _("Interest removed.")
        if action == "remove_day":
            day = selectors.day_of_delegation(d, posted_id(post))
            services.remove_day(day=day, actor=user)
            return _("Day on site removed: %(day)s.") % {"day": formats.when(day.date, "day")}
        if action == "remove_exclusion":
            services.remove_exclusion(
                exclusion=selectors.exclusion_of_delegation(d, posted_id(post)), actor=user
            )
            return _("Exclusion removed.")
        if action == "propose":
            n = len(services.propose_candidates(delegation=d, actor=user))
            return ngettext(
                "Proposed from the interests: %(n)s candidate visit.",
                "Proposed from the interests: %(n)s candidate visits.",
                n,
            ) % {"n": n}
        if action == "candidate":
            form = f.CandidateForm(post)
            if not form.is_valid():
                raise DomainError(" ".join(e for errs in form.errors.values() for e in errs))
            candidate = selectors.candidate_of_delegation(d, posted_id(post))
            services.update_candidate(candidate=candidate, actor=user, **form.cleaned_data)
            who = candidate.stand.exhibitor.name if candidate.stand.exhibitor else candidate.stand.number
            return _("Candidate visit saved: %(company)s.") % {"company": who}
        if action == "withdraw":
            services.withdraw_delegation(delegation=d, actor=user, reason=post.get("reason", ""))
            messages.warning(
                self.request,
                _(
                    "The delegation is withdrawn: its members have lost access, its "
                    "upcoming visits and meetings are cancelled and the hosts told."
                ),
            )
            return ""
        if action == "readmit":
            services.readmit_delegation(delegation=d, actor=user)
            return _("The delegation is received again; what was cancelled stays cancelled.")
        if action == "add_wish_candidate":
            wish = selectors.wish_for_delegation(d, posted_id(post))
            stand = wish.company.stands.first()
            if stand is None:
                raise DomainError(_("This exhibitor has no stand."))
            services.add_candidate(delegation=d, actor=user, stand=stand)
            return _("Added to the candidate visits: %(company)s.") % {"company": wish.company.name}
        raise Http404


# --- the delegation's programme -------------------------------------------------------------------


class ProgrammeView(DelegationMixin, View):
    permission_required = "delegations.view_programme"

    def get(self, request, event_slug, pk):
        d = self.delegation
        programme = selectors.programme_of(d)
        days = selectors.programme_days(d, published=True, appointments=True)
        for pd in days:
            for item in pd.visits:
                item.host = selectors.host_contact(item.visit.stand)
        feed = None
        if roles_for(request.user, request.event).role_in(d.organisation_id):
            # The person's own address: it dies when they rotate it or leave the delegation.
            feed = request.build_absolute_uri(
                reverse(
                    "delegations:ics",
                    args=[
                        request.event.slug,
                        admission.calendar_token(user=request.user, event=request.event),
                    ],
                )
                + "?"
                + urlencode({"lang": translation.get_language()})
            )
        return render(
            request,
            "delegations/programme.html",
            {
                "delegation": d,
                "programme": programme,
                "days": days,
                "feed_url": feed,
                "webcal_url": feed.replace("https://", "webcal://").replace("http://", "webcal://")
                if feed
                else None,
                "can_change": request.user.has_perm("delegations.change_delegation", d),
                "is_organiser": request.user.has_perm("delegations.manage_programme", d),
            },
        )


class ProgrammePdfView(DelegationMixin, View):
    permission_required = "delegations.view_programme"

    def get(self, request, event_slug, pk):
        # reportlab (about 0.3 s to import) loads only when someone downloads a programme PDF
        from ..pdf import programme_pdf  # noqa: PLC0415 -- reportlab is heavy and needed only for the PDF

        d = self.delegation
        days = selectors.programme_days(d, published=True, appointments=True)
        for pd in days:
            for item in pd.visits:
                item.host = selectors.host_contact(item.visit.stand)
        data = programme_pdf(d, days)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="programme-{d.organisation.country.code.lower()}-{d.pk}.pdf"'
        )
        return response


class IcsFeedView(View):
    """The delegation member's programme feed: public, the signed personal address is the key.
    It dies when the person rotates it, leaves the delegation or the delegation is withdrawn."""

    def get(self, request, event_slug, token):
        user = admission.user_for_calendar_token(token, request.event)
        delegation_ids = sorted(roles_for(user, request.event).delegation_ids) if user else []
        programme = selectors.programme_of_delegations(delegation_ids)
        if programme is None:
            raise Http404
        with translation.override(admission.calendar_language(request, user)):
            body = programme_ics(programme)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="programme.ics"'
        response["Cache-Control"] = "private, max-age=300"
        return response
