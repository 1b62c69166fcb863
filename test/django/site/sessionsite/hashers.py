import os

from django.contrib.auth import hashers


class PBKDF2PasswordHasher(hashers.PBKDF2PasswordHasher):
    """Django's pbkdf2_sha256 with the work factor of DJANGO_PBKDF2_ITERATIONS."""

    iterations = int(os.environ["DJANGO_PBKDF2_ITERATIONS"])
