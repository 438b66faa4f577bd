"""Template filters that print reported numbers the way papers print them."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def num(value: float | int | None) -> str:
    """A number without float noise: 2.78 not 2.7800000001; blank for missing values."""
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.6g}"


@register.filter
def pvalue(comparison: object) -> str:
    """'p<0.001', 'p=0.38' from a comparison's relation and value."""
    value = getattr(comparison, "p_value", None)
    if value is None:
        return ""
    relation = getattr(comparison, "p_relation", "") or "="
    return f"p{relation}{num(value)}"


@register.filter
def ci(comparison: object) -> str:
    """'1.42 to 4.15' (spelled out so a minus sign is never mistaken for a dash)."""
    lower = getattr(comparison, "ci_lower", None)
    upper = getattr(comparison, "ci_upper", None)
    if lower is None or upper is None:
        return ""
    return f"{num(lower)} to {num(upper)}"
