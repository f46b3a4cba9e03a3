import pytest

from council.domain import DomainError
from council.domain.convention import STARTING_TEXTS, Article, ChangeKind, apply, article_label, chinese_number


@pytest.mark.parametrize("n, text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"),
                                     (99, "九十九")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_article_label():
    assert article_label(3) == "第三条" and article_label(12) == "第十二条"


SRC = {"session": "议事会", "yes": 5}


def test_add_amend_repeal_make_the_next_version():
    v1 = apply([], ChangeKind.ADD, None, "文明养犬", SRC)
    v2 = apply(v1, ChangeKind.ADD, None, "垃圾分类", SRC)
    v3 = apply(v2, ChangeKind.ADD, None, "停车", SRC)
    assert [(a.number, a.text) for a in v3] == [(1, "文明养犬"), (2, "垃圾分类"), (3, "停车")]
    v4 = apply(v3, ChangeKind.AMEND, 2, "垃圾分类，定时定点", {"yes": 9})
    assert v4[1].text == "垃圾分类，定时定点" and v4[1].source == {"yes": 9} and v3[1].text == "垃圾分类"
    v5 = apply(v4, ChangeKind.REPEAL, 1, "", SRC)
    assert [(a.number, a.text) for a in v5] == [(1, "垃圾分类，定时定点"), (2, "停车")]


@pytest.mark.parametrize("kind, target", [(ChangeKind.AMEND, 5), (ChangeKind.REPEAL, None), (ChangeKind.AMEND, "1"),
                                          (ChangeKind.ADD, 1)])
def test_changes_name_an_existing_article(kind, target):
    with pytest.raises(DomainError):
        apply([Article(1, "x")], kind, target, "y", SRC)


def test_starting_texts_cover_the_common_articles():
    assert set(STARTING_TEXTS) == {"文明养犬", "垃圾分类", "停车", "楼道堆物", "噪音", "公共空间"}
