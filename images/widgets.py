"""The admin's input for stored images."""

from django.contrib.admin.widgets import AdminFileWidget

from images.fields import ContentImageField
from images.validation import ACCEPTED_EXTENSIONS


class StoredImageInput(AdminFileWidget):
    """The admin's file input, naming the stored image instead of linking it: the stored
    file may be an imported original, kept byte for byte (camera position included) for
    export and never served; the field's preview shows what visitors get. The file picker
    offers the image types uploads accept."""

    template_name = "images/widgets/stored_image_input.html"

    def __init__(self, attrs=None):
        super().__init__({"accept": ",".join(sorted(ACCEPTED_EXTENSIONS)), **(attrs or {})})


# For ModelAdmin.formfield_overrides: the admin would otherwise put its own file input,
# which links the stored file, on every image field.
IMAGE_FIELD_OVERRIDES = {ContentImageField: {"widget": StoredImageInput}}
