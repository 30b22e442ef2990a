"""liaison.core.names: a name in the order and spacing of its script, and its language tag."""

import pytest

from liaison.core.names import language_of, native_name


@pytest.mark.parametrize(
    ("surname", "given", "country", "written", "language"),
    [
        ("张", "伟", "CN", "张伟", "zh-Hans"),
        ("陳", "大文", "HK", "陳大文", "zh-Hant"),
        ("김", "민준", "KR", "김민준", "ko"),
        ("佐藤", "花子", "JP", "佐藤花子", "ja"),
        ("さとう", "はなこ", "JP", "さとう はなこ", "ja"),
        ("رضایی", "محمد", "IR", "محمد رضایی", "fa"),
        ("الحسن", "عمر", "JO", "عمر الحسن", "ar"),
        ("Петров", "Иван", "RU", "Иван Петров", ""),
        ("Müller", "", "DE", "Müller", ""),
        ("", "", "DE", "", ""),
    ],
)
def test_native_name_and_language(surname, given, country, written, language):
    assert native_name(surname, given) == written
    assert language_of(written, country) == language
