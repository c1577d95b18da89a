"""The signed code: compact, QR-alphanumeric, and neither forgeable nor alterable."""

from __future__ import annotations

import base64
from datetime import date

import pytest

from exhibition.accreditation import codes

PAYLOAD = codes.Payload(kid=3, badge_id=123456, category=4, valid_from=date(2025, 11, 16), mask=0b0111100)


def _keys():
    public, private = codes.new_keypair()
    return codes.load_public(public), codes.load_private(private)


def test_code_is_122_base32_characters_and_round_trips():
    public, private = _keys()
    code = codes.sign(PAYLOAD, private)
    assert len(code) == 122 and set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    payload, body, sig = codes.parse(code.lower())  # cameras and people may change the case
    assert payload == PAYLOAD
    assert codes.verify(body, sig, public)
    assert payload.days == [date(2025, 11, 18), date(2025, 11, 19), date(2025, 11, 20), date(2025, 11, 21)]
    assert payload.valid_on(date(2025, 11, 19)) and not payload.valid_on(date(2025, 11, 17))


def test_every_altered_byte_breaks_the_signature():
    public, private = _keys()
    raw = base64.b32decode(codes.sign(PAYLOAD, private) + "======")
    for i in range(len(raw)):
        altered = bytearray(raw)
        altered[i] ^= 0x01
        text = base64.b32encode(bytes(altered)).decode().rstrip("=")
        try:
            _payload, body, sig = codes.parse(text)
        except codes.BadCode:
            continue  # the version byte: not even parsed
        assert not codes.verify(body, sig, public), i


def test_one_badge_has_one_code_spare_bits_set_are_refused():
    """Base32 of 76 bytes leaves two spare bits in the last character: a lenient decoder would
    read four spellings as the same code (and a test's forgery as the real badge)."""
    _public, private = _keys()
    code = codes.sign(PAYLOAD, private)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    last = alphabet.index(code[-1])
    assert last & 0b11 == 0
    for spare in (1, 2, 3):
        with pytest.raises(codes.BadCode, match="not canonical"):
            codes.parse(code[:-1] + alphabet[last | spare])
    assert codes.parse(code + "====")[0] == PAYLOAD  # padding typed in full is the same code


def test_a_code_signed_with_another_key_does_not_verify():
    public, _private = _keys()
    _other_public, other_private = _keys()
    _p, body, sig = codes.parse(codes.sign(PAYLOAD, other_private))
    assert not codes.verify(body, sig, public)


@pytest.mark.parametrize("text", ["", "HELLO", "A" * 122, "!" * 122, "A" * 500, "0" * 122])
def test_garbage_is_a_bad_code(text):
    with pytest.raises(codes.BadCode):
        codes.parse(text)


def test_days_beyond_sixteen_put_no_day_restriction_in_the_code():
    assert codes.days_mask([date(2025, 11, 16), date(2025, 11, 18)]) == (date(2025, 11, 16), 0b101)
    first, mask = codes.days_mask([date(2025, 11, 16), date(2026, 12, 5)])
    assert mask == 0
    p = codes.Payload(kid=1, badge_id=1, category=1, valid_from=first, mask=mask)
    assert p.days is None and p.valid_on(date(2030, 1, 1))


def test_private_keys_are_stored_encrypted_and_need_the_secret_key(settings):
    public, private = codes.new_keypair()
    assert len(public) == 32 and len(private) > 64
    codes.load_private(private)  # decrypts with the current SECRET_KEY
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "another-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    with pytest.raises(RuntimeError):
        codes.load_private(private)
    settings.SECRET_KEY_FALLBACKS = [old]
    codes.load_private(private)  # the old key as a fallback still decrypts it
