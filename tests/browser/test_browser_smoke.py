import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_sign_in_page_opens_without_browser_errors(open_page, size):
    page = open_page("/accounts/login/", size=size)
    assert page.locator("h1, form").first.is_visible()
    screenshot(page, f"login-{size}")
