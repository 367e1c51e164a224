"""Admin behaviour shared by posts and talks."""

import datetime

import taggit.admin
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.redirects.models import Redirect
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.models import Tag

from images.fields import ImageUploadField
from images.responsive import (
    fill_picture,
    header_picture,
    prefetch_renditions,
    stored_image_url,
    width_picture,
)
from images.validation import ACCEPTED_EXTENSIONS
from images.widgets import IMAGE_FIELD_OVERRIDES
from publishing import body_images, previews, revisions
from publishing.dates import DATE_RANGE, in_range, year_in_range
from publishing.links import http_url
from publishing.models import Status
from publishing.signals import content_written
from publishing.site_url import absolute_url, site_url
from publishing.slugs import tag_name_too_long
from publishing.text import control_characters, without_control_characters

admin.site.site_header = f"{settings.SITE_NAME} admin"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Content"


ADMIN_THUMBNAIL_SIZES = ((96, 54), (192, 108))


def thumbnail(url: str | None, alt: str = "", width: int = 64, height: int = 36) -> str:
    if not url:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" class="admin-thumb">',
        url,
        alt,
        width,
        height,
    )


class DatedChangeList(ChangeList):
    """A change list that dates cannot fail.

    Django's date hierarchy adds a year to the one asked for (`?date__year=9999`
    overflows) and turns the first and last dates into local time, which a row dated near
    the year 1 or 9999 (written past the checks) may not have. So its parameters must
    name a year of the site's range, and it is left out while a listed row is outside the
    range; the year filter still narrows the list, and the row can be opened and fixed.
    """

    def get_filters(self, request):
        if self.date_hierarchy:
            year = self.params.get(f"{self.date_hierarchy}__year")
            if year is not None and year_in_range(year) is None:
                raise IncorrectLookupParameters(f"{year!r} is not a year of the site")
            for part in ("month", "day"):
                value = self.params.get(f"{self.date_hierarchy}__{part}")
                if value is not None and not (
                    value.isascii() and value.isdigit() and len(value) <= 2
                ):
                    raise IncorrectLookupParameters(f"{value!r} is not a {part}")
        return super().get_filters(request)

    def get_results(self, request):
        super().get_results(request)
        if self.date_hierarchy:
            dated_in_range = {f"{self.date_hierarchy}__range": DATE_RANGE}
            if self.queryset.exclude(**dated_in_range).exists():
                self.date_hierarchy = None


class RenditionChangeList(DatedChangeList):
    """Loads the thumbnails of a change list page in one query."""

    def get_results(self, request):
        super().get_results(request)
        prefetch_renditions(self.result_list)


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        # Years of the range only: the year of a row dated near 1 or 9999 (written past
        # the checks) may not exist in the site's time zone.
        items = model_admin.get_queryset(request).filter(date__range=DATE_RANGE)
        years = items.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        year = year_in_range(self.value())
        if year is None:
            # Django's answer to a filter it cannot apply: the unfiltered list, flagged.
            raise IncorrectLookupParameters(f"year: {self.value()!r} is not a year of the site")
        return queryset.filter(date__year=year)


class ContentAdminForm(forms.ModelForm):
    """The base of every admin form of content (posts, talks, people, credits, tags).

    The text an editor sends loses the control characters feeds cannot carry
    (publishing.text), as it loses surrounding spaces; a list entry (a tag) that was
    nothing else is dropped. A date outside the site's range (publishing.dates), written
    past the checks, is shown as stored, in UTC, since it may have no local time; saved
    as it is, it gets the field's error, which says what dates are accepted.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in self.initial.items():
            if isinstance(value, datetime.datetime) and not in_range(value):
                self.initial[name] = value.astimezone(datetime.UTC).replace(tzinfo=None)

    def clean_tags(self):
        names = self.cleaned_data["tags"]
        if problem := tag_name_too_long(names, Tag._meta.get_field("name").max_length):
            raise forms.ValidationError(problem[0].upper() + problem[1:] + ".")
        return names

    def clean(self):
        cleaned_data = super().clean()
        for name, value in cleaned_data.items():
            if control_characters(value):
                value = without_control_characters(value)
                if isinstance(value, list):
                    value = [entry for entry in value if entry != ""]
                cleaned_data[name] = value
        return cleaned_data


# Tags are renamed in taggit's own admin too.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(taggit.admin.TagAdmin):
    form = ContentAdminForm


class CreditInline(admin.TabularInline):
    """People credited on an item, in the order given by `position`."""

    form = ContentAdminForm
    autocomplete_fields = ["person"]
    extra = 0
    fields = ["position", "person", "link", "image_url"]
    ordering = ["position"]


class RevisionAdmin(VersionAdmin):
    """Every save in the admin stores a revision (django-reversion's VersionAdmin), which
    "History" lists with who, when and why; each can be compared with the one before it,
    field by field, and restored through the item's own change form (validation, tags,
    credits and images come back with it)."""

    object_history_template = "admin/publishing/object_history.html"
    revision_form_template = "admin/publishing/revision_form.html"
    history_latest_first = True

    def reversion_register(self, model, **options):
        revisions.register(model, options.get("follow", ()))

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/<int:version_id>/changes/",
                self.admin_site.admin_view(self.revision_changes_view),
                name=f"{opts.app_label}_{opts.model_name}_revision_changes",
            ),
            *super().get_urls(),
        ]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restoring a revision keeps the item's current preview token: links an editor
        revoked stay revoked."""
        items = self.model._default_manager.filter(pk=unquote(object_id))
        kept = "preview_token" in {field.name for field in self.model._meta.concrete_fields}
        token = items.values_list("preview_token", flat=True).first() if kept else None
        response = super().revision_view(request, object_id, version_id, extra_context)
        if token is not None and request.method == "POST":
            items.update(preview_token=token)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        opts = self.model._meta
        for action in response.context_data.get("action_list", []):
            version_id = int(action["url"].rstrip("/").rsplit("/", 1)[-1])
            action["changes_url"] = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision_changes",
                args=[object_id, version_id],
            )
        return response

    def revision_changes_view(self, request, object_id, version_id):
        """What a revision changed: each field that differs from the revision before it,
        long texts (the body) as a line diff."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        version = get_object_or_404(Version, pk=version_id, object_id=object_id)
        if version._model is not self.model:
            raise Http404("No such revision of this item.")
        before = revisions.previous(version)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": f"Changes in the revision of {version.revision.date_created:%Y-%m-%d %H:%M}",
            "version": version,
            "revision": version.revision,
            "previous": before,
            "changes": revisions.changes(
                revisions.snapshot(before) if before else {}, revisions.snapshot(version)
            ),
            "history_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                args=[object_id],
            ),
            "restore_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=[object_id, version.pk],
            ),
            "restore_before_url": before
            and reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=[object_id, before.pk],
            ),
        }
        return TemplateResponse(request, "admin/publishing/revision_changes.html", context)


class PublishableAdmin(RevisionAdmin):
    """Change list, actions and form layout common to posts and talks."""

    form = ContentAdminForm
    formfield_overrides = IMAGE_FIELD_OVERRIDES
    list_display = [
        "title",
        "state",
        "listed_date",
        "author",
        "tag_list",
        "thumbnail",
    ]
    list_filter = ["status", YearFilter, "tags", "author"]
    list_select_related = ["author"]
    search_fields = ["title", "slug", "body"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author"]
    actions = ["publish", "unpublish"]
    readonly_fields = [
        "state",
        "share_preview",
        "body_images",
        "header_preview",
        "social_card_preview",
        "source_dialect",
        "source_path",
        "source_extra",
        "created_at",
        "updated_at",
    ]
    save_on_top = True
    change_form_template = "admin/publishing/change_form.html"

    class Media:
        css = {"all": ["admin/publishing/admin.css"]}

    images_fieldset = (
        "Images",
        {
            "fields": [
                "header_image",
                "header_preview",
                "header_image_alt",
                ("focal_x", "focal_y"),
                "og_image",
                "social_card_preview",
            ],
            "description": "Click the header preview to set the focal point that every "
            "crop (thumbnails, social card) keeps in view.",
        },
    )
    seo_fieldset = (
        "SEO",
        {"fields": ["meta_title", "meta_description", "language"], "classes": ["collapse"]},
    )
    preview_fieldset = ("Preview", {"fields": ["state", "share_preview"]})
    source_fieldset = (
        "Source",
        {
            "fields": [
                "uuid",
                "source_dialect",
                "source_path",
                "source_extra",
                "created_at",
                "updated_at",
            ],
            "classes": ["collapse"],
            "description": "Where this item was imported from; used to export it back.",
        },
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description="state", ordering="status")
    def state(self, obj) -> str:
        """Draft, Scheduled (with the moment it goes public) or Published."""
        if obj is None or obj.date is None:
            return "—"
        state = obj.publication_state
        if state == "Scheduled" and in_range(obj.date):
            moment = formats.localize(timezone.template_localtime(obj.date))
            return format_html('<span class="state scheduled">Scheduled for {}</span>', moment)
        return format_html('<span class="state {}">{}</span>', state.lower(), state)

    @admin.display(description="date", ordering="date")
    def listed_date(self, obj) -> str:
        if in_range(obj.date):
            return formats.localize(timezone.template_localtime(obj.date))
        # Near the year 1 or 9999 a date may have no local time: shown as stored.
        return format_html(
            '<strong class="errornote">{} UTC: outside the accepted dates</strong>',
            obj.date.isoformat(sep=" ", timespec="minutes").removesuffix("+00:00"),
        )

    @admin.display(description="tags")
    def tag_list(self, obj) -> str:
        return ", ".join(tag.name for tag in obj.tags.all())

    def get_changelist(self, request, **kwargs):
        return RenditionChangeList

    @admin.display(description="image")
    def thumbnail(self, obj) -> str:
        picture = fill_picture(obj, ADMIN_THUMBNAIL_SIZES)
        return thumbnail(picture.src if picture else None, obj.header_image_alt)

    @admin.display(description="as visitors see it")
    def header_preview(self, obj) -> str:
        if obj is None or not obj.header_image:
            return "No header image yet."
        picture = header_picture(obj)
        if picture is None:
            return "The header image file cannot be read."
        warning = ""
        if not obj.header_image_alt.strip():
            warning = format_html(
                '<p class="alt-warning" role="alert">{}</p>',
                "This image has no alt text: people who cannot see it will not know what "
                "it shows.",
            )
        return format_html(
            '{}<div class="focal-preview" data-focal-x="{}" data-focal-y="{}">'
            '<img src="{}" srcset="{}" sizes="480px" width="{}" height="{}" alt="{}">'
            '<span class="focal-marker" aria-hidden="true"></span></div>',
            warning,
            obj.focal_x,
            obj.focal_y,
            picture.src,
            picture.srcset,
            picture.width,
            picture.height,
            obj.header_image_alt,
        )

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/share-preview/",
                self.admin_site.admin_view(self.share_preview_view),
                name=f"{opts.app_label}_{opts.model_name}_share_preview",
            ),
            path(
                "preview-page/",
                self.admin_site.admin_view(self.preview_page_view),
                name=f"{opts.app_label}_{opts.model_name}_preview_page",
            ),
            path(
                "<path:object_id>/body-image/",
                self.admin_site.admin_view(self.body_image_view),
                name=f"{opts.app_label}_{opts.model_name}_body_image",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="share a preview")
    def share_preview(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "Available once the item is saved."
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_share_preview", args=[obj.pk])
        return format_html(
            '<a href="{}">Get a link</a> that shows this item as it is saved, to anyone, '
            "for {} days (or until you revoke it).",
            url,
            settings.PREVIEW_LINK_DAYS,
        )

    def get_changeform_initial_data(self, request):
        """A new item starts with its editor as the author, when they are a person of the
        site (Person.user)."""
        initial = super().get_changeform_initial_data(request)
        person = getattr(request.user, "person", None)
        if person is not None and "author" not in initial:
            initial["author"] = person.pk
        return initial

    @admin.display(description="images in the body")
    def body_images(self, obj) -> str:
        """The body's images (imported or uploaded), and the form that adds one."""
        if obj is None or obj.pk is None:
            return "Save the item once to add images to its body."
        opts = self.model._meta
        upload_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_body_image", args=[obj.pk])
        rows = format_html_join(
            "",
            '<li><img src="{}" alt="" width="96" height="54" loading="lazy" '
            'class="admin-thumb"> <code>{}</code></li>',
            (
                (picture.src, image.reference)
                for image in body_images.images_of(obj)
                if (picture := width_picture(image.name, {})) is not None
            ),
        )
        return format_html(
            '<ul class="body-images">{}</ul>'
            '<div class="body-image-upload" data-url="{}">'
            '<label>Image <input type="file" accept="{}" class="body-image-file"></label> '
            '<label>Alt text <input type="text" maxlength="300" class="body-image-alt vTextField" '
            'placeholder="What the image shows"></label> '
            '<button type="button" class="button body-image-insert">Upload and insert</button>'
            '<p class="body-image-status" role="status"></p></div>',
            rows or format_html("<li>{}</li>", "None yet."),
            upload_url,
            ",".join(sorted(ACCEPTED_EXTENSIONS)),
        )

    def body_image_view(self, request, object_id):
        """Store an uploaded image for the body; JSON with the Markdown to insert."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = self.get_object(request, unquote(object_id))
        if item is None:
            raise Http404("No such item.")
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        form = BodyImageForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = [str(error) for errors in form.errors.values() for error in errors]
            return JsonResponse({"error": " ".join(errors)}, status=400)
        upload = form.cleaned_data["image"]
        reference = body_images.attach(item, upload.name, upload.cleaned_upload)
        return JsonResponse(
            {"markdown": body_images.markdown(reference, form.cleaned_data["alt"])}
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_preview_page")
        context["preview_page_url"] = f"{url}?id={obj.pk}" if obj is not None else url
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_page_view(self, request):
        """The item's public page as the form would make it, unsaved: the form and its
        inlines are saved in a transaction that is rolled back once the page is rendered,
        so tags, credits and images show as they would, and nothing is kept."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        object_id = request.GET.get("id")
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and obj is None:
            raise Http404("No such item.")
        change = obj is not None
        allowed = (
            self.has_change_permission(request, obj)
            if change
            else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        form = self.get_form(request, obj, change=change)(
            request.POST, request.FILES, instance=obj
        )
        valid = form.is_valid()
        formsets, _ = self._create_formsets(request, form.instance if valid else obj, change)
        if not valid or not all_valid(formsets):
            errors = [f"{name}: {' '.join(messages_)}" for name, messages_ in form.errors.items()]
            errors += [str(error) for formset in formsets for error in formset.non_form_errors()]
            errors += [
                f"{formset.prefix}: {' '.join(messages_)}"
                for formset in formsets
                for errors_ in formset.errors
                for messages_ in errors_.values()
            ]
            response = TemplateResponse(
                request,
                "admin/publishing/preview_errors.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "errors": errors,
                },
                status=400,
            )
            return _never_cached(response.render())
        with transaction.atomic():
            item = self.save_form(request, form, change)
            item.save()
            self.save_related(request, form, formsets, change)
            match = resolve(item.get_absolute_url())
            request.shared_preview = item
            request.unsaved_preview = True
            request.method = "GET"
            response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render"):
                response.render()
            transaction.set_rollback(True)
        return _never_cached(response)

    def share_preview_view(self, request, object_id):
        """A new preview link to give someone (GET), or revoke every link (POST)."""
        item = self.get_object(request, unquote(object_id))
        if item is None:
            raise Http404("No such item.")
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        if request.method == "POST":
            previews.revoke(item)
            self.message_user(
                request, "Every preview link shared so far has stopped working.", messages.SUCCESS
            )
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": item,
            "title": f"Share a preview of “{item}”",
            "link": previews.share_url(item),
            "expires": previews.expires_at(),
            "change_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk]
            ),
        }
        return TemplateResponse(request, "admin/publishing/share_preview.html", context)

    @admin.display(description="social card (1200×630)")
    def social_card_preview(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "Shown once the item is saved."
        return format_html(
            '<img class="social-card-preview" src="{}" width="600" height="315" '
            'alt="The card shown when this page is shared" loading="lazy">',
            obj.social_card_url.removeprefix(site_url()),
        )

    def view_on_site(self, obj):
        """The public page at the site's address (publishing.site_url) rather than at
        the sites framework's stored domain."""
        return absolute_url(obj.get_absolute_url())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.header_image and not obj.header_image_alt.strip():
            messages.warning(
                request,
                f"“{obj}” has a header image without alt text; please describe it.",
            )
        if missing := body_images.without_alt(obj.body_html):
            references = {stored_image_url(n): ref for ref, n in obj.attachment_files().items()}
            named = ", ".join(references.get(src, src) for src in missing)
            messages.warning(
                request,
                ngettext(
                    "An image in the body of “%(item)s” has no alt text: %(images)s.",
                    "%(count)d images in the body of “%(item)s” have no alt text: %(images)s.",
                    len(missing),
                )
                % {"item": obj, "count": len(missing), "images": named},
            )

    def _set_status(self, request, queryset, status: str, comment: str) -> int:
        """Set the status of the selected items, in one revision of them all; `update()`
        sends no per-item signals, so the layers above (page cache, search) hear of it
        through `content_written`."""
        with transaction.atomic(), revisions.revision(comment, request.user):
            pks = list(queryset.values_list("pk", flat=True))
            updated = queryset.update(status=status)
            revisions.add(queryset.model, pks)
            content_written.send(sender=queryset.model, pks=pks)
        return updated

    @admin.action(description="Publish selected items", permissions=["change"])
    def publish(self, request, queryset):
        updated = self._set_status(
            request, queryset, Status.PUBLISHED, "Published via the list action."
        )
        items = queryset.model.objects.filter(pk__in=queryset.values("pk")).only("status", "date")
        scheduled = sum(item.publication_state == "Scheduled" for item in items)
        message = ngettext("%d item published.", "%d items published.", updated) % updated
        if scheduled:
            message += (
                " "
                + ngettext(
                    "%d of them is scheduled: it goes public at its date.",
                    "%d of them are scheduled: each goes public at its date.",
                    scheduled,
                )
                % scheduled
            )
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Schedule selected items…", permissions=["change"])
    def schedule(self, request, queryset):
        """Publish the selected items at a moment to come: asks when, then sets their
        date and status in one revision."""
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            moment = form.cleaned_data["moment"]
            shown = formats.localize(timezone.template_localtime(moment))
            comment = f"Scheduled for {shown} via the list action."
            with transaction.atomic(), revisions.revision(comment, request.user):
                pks = list(queryset.values_list("pk", flat=True))
                updated = queryset.update(status=Status.PUBLISHED, date=moment)
                revisions.add(queryset.model, pks)
                content_written.send(sender=queryset.model, pks=pks)
            self.message_user(
                request,
                ngettext(
                    "%(count)d item scheduled: public from %(moment)s.",
                    "%(count)d items scheduled: public from %(moment)s.",
                    updated,
                )
                % {"count": updated, "moment": shown},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Schedule posts",
            "items": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/publishing/schedule.html", context)

    @admin.action(description="Unpublish selected items (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        updated = self._set_status(
            request, queryset, Status.DRAFT, "Unpublished via the list action."
        )
        self.message_user(
            request,
            ngettext("%d item unpublished.", "%d items unpublished.", updated) % updated,
            messages.SUCCESS,
        )


def _never_cached(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class ScheduleForm(forms.Form):
    """When the selected posts go public."""

    moment = forms.DateTimeField(
        label="Publish on",
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In the site's time zone. The posts are public from then on.",
    )

    def clean_moment(self):
        moment = self.cleaned_data["moment"]
        if moment <= timezone.now():
            raise forms.ValidationError("Choose a moment to come; to publish now, use Publish.")
        if not in_range(moment):
            raise forms.ValidationError("Choose a moment within the dates the site accepts.")
        return moment


class BodyImageForm(forms.Form):
    """An image for the body: checked and cleaned as header images are."""

    image = ImageUploadField()
    alt = forms.CharField(
        max_length=300,
        help_text="What the image shows, for people who cannot see it.",
        error_messages={"required": "Describe the image (alt text) before inserting it."},
    )


class RedirectForm(forms.ModelForm):
    """Addresses a redirect can hold: from a path of this site, to a path of this site or
    an http(s) address (anything else would break the old address for visitors)."""

    class Meta:
        model = Redirect
        fields = ["old_path", "new_path"]
        help_texts = {
            "old_path": "The old address, a path of this site such as /2019/old-post/.",
            "new_path": "Where it now leads: a path of this site such as /blog/2024/05/06/post/, "
            "or a full https:// address.",
        }

    def clean_old_path(self):
        path = self.cleaned_data["old_path"].strip()
        if not path.startswith("/") or path.startswith("//") or any(c.isspace() for c in path):
            raise forms.ValidationError(
                "Give a path of this site, starting with “/”, without spaces."
            )
        return path

    def clean_new_path(self):
        target = self.cleaned_data["new_path"].strip()
        local = target.startswith("/") and not target.startswith("//")
        if not (local and not any(c.isspace() for c in target)) and not http_url(target):
            raise forms.ValidationError(
                "Give a path of this site starting with “/”, or an http(s):// address."
            )
        return target

    def save(self, commit=True):
        self.instance.site_id = settings.SITE_ID
        return super().save(commit)


admin.site.unregister(Redirect)


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Old addresses and where they lead: kept by imports and by changes to a public item's
    slug or date, and editable here."""

    form = RedirectForm
    list_display = ["old_path", "new_path"]
    search_fields = ["old_path", "new_path"]
    ordering = ["old_path"]
