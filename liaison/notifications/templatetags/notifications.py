"""``{% unread_notifications as n %}``: the signed-in user's unread count, one COUNT per request."""

from django import template

from liaison.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    # Cached on the request: a page that shows the header twice still counts once.
    if not hasattr(request, "_liaison_unread"):
        request._liaison_unread = unread_count(user)
    return request._liaison_unread
