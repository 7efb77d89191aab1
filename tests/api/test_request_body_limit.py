"""Request bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are refused by their length, unread."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from api.models import ProviderUser, Result
from tests.api.conftest import answers_for
from tests.conftest import API, assert_error

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def test_a_multipart_upload_over_the_limit_is_a_413_envelope_and_registers_nobody(
    client, prepaid_provider
):
    upload = SimpleUploadedFile("photo.jpg", b"\xff" * (3 * MB), content_type="image/jpeg")

    response = client.post(
        API + "user/register",
        {"client": prepaid_provider.client_key, "user_id": "student", "photo": upload},
    )

    assert_error(response, 413, "The request body is too large.")
    assert not ProviderUser.objects.exists()


def test_a_declared_length_over_the_limit_is_refused_without_reading_the_body(
    client, prepaid_provider
):
    # The test client's payload raises if read past its real, tiny size: a 413
    # here means the 50 MB promised by Content-Length were never asked for.
    body = b'--B\r\nContent-Disposition: form-data; name="user_id"\r\n\r\nstudent\r\n--B--\r\n'

    response = client.generic(
        "POST",
        API + "user/register",
        body,
        content_type="multipart/form-data; boundary=B",
        CONTENT_LENGTH=str(50 * MB),
    )

    assert_error(response, 413)
    assert not ProviderUser.objects.exists()


def test_a_small_multipart_form_still_registers(client, prepaid_provider):
    response = client.post(
        API + "user/register", {"client": prepaid_provider.client_key, "user_id": "student"}
    )

    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    assert ProviderUser.objects.get().user_id == "student"


def test_php_style_arrays_posted_as_multipart_still_save_progress(
    client, prepaid_provider, register, main_test
):
    form = {"test": main_test.code, "user_key": register(prepaid_provider)}
    for item, answer in answers_for(main_test).items():
        if isinstance(answer, list):
            form[f"progress[{item}][]"] = answer
        else:
            form[f"progress[{item}]"] = answer

    response = client.post(API + "progress/save", form)

    assert response.status_code == 200, response.content
    assert Result.objects.count() == 1


def test_outside_the_api_a_body_over_the_limit_is_a_plain_413(client, db):
    response = client.post("/accounts/login/", {"username": "x" * (300 * 1024), "password": "p"})

    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Слишком большой запрос" in response.content.decode()


def test_a_file_part_is_never_written_to_disk_even_unguarded():
    # Straight to the multipart parser, past the middleware: the upload settings
    # alone keep a file part within the limit, in memory, or drop it.
    small = RequestFactory().post("/", {"f": SimpleUploadedFile("a.txt", b"a" * 1024)})
    large = RequestFactory().post("/", {"f": SimpleUploadedFile("b.txt", b"b" * MB), "x": "1"})

    assert small.FILES["f"].read() == b"a" * 1024
    assert type(small.FILES["f"]).__name__ == "InMemoryUploadedFile"
    assert "f" not in large.FILES
    assert large.POST["x"] == "1"
