"""The admin upload form: a file and its format, validated before anything is imported."""

from __future__ import annotations

from django import forms

from acuevidence.evidence.sources import FORMATS

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class ImportUploadForm(forms.Form):
    format = forms.ChoiceField(choices=[(f, f) for f in FORMATS], help_text="The file's format.")
    file = forms.FileField(
        help_text="PubMed XML (.xml or .xml.gz), MEDLINE .nbib, RIS, CT.gov JSON or CSV."
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size // 1_048_576} MB; the limit is "
                f"{MAX_UPLOAD_BYTES // 1_048_576} MB. Use `acuevidence import` for larger files."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload
