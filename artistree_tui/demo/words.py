"""Word lists the demo data is assembled from: projects, people, titles, files, findings.

Plain English data only; the hostile variants live in :mod:`artistree_tui.demo.hostile`.
Domains use the reserved ``.example`` TLD so that no demo address can reach a real person.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: (name, caller's role in it, share of the non-personal orders in percent).
PROJECTS: tuple[tuple[str, str, int], ...] = (
    ("Brand Refresh 2026", "Owner", 27),
    ("Children's Book Vol. 2", "Reviewer", 21),
    ("Album Art — Night Drive", "Admin", 16),
    ("Museum Poster Series", "Reviewer", 14),
    ("Game Concept Art", "Member", 13),
    ("Editorial Illustrations", "Viewer", 9),
)

FIRST_NAMES = _words(
    "Mara Jules Priya Tomás Aiko Femi Lena Rafael Sofia Noah Ingrid Kwame Chloé "
    "Dmitri Yara Oskar Hana Mateo Zainab Elias"
)
LAST_NAMES = _words(
    "Okafor Ferreira Raman Lindqvist Tanaka Adeyemi Novak Costa Moreau Kowalski "
    "Haddad Brennan Silva Nakamura Petrov Achebe"
)
ORG_DOMAIN = "northlight-studio.example"
FREELANCE_DOMAINS = ("inkwell.example", "paperkite.example", "mailbox.example")

TITLE_ADJECTIVES = _words(
    "Quiet Golden Electric Forgotten Crimson Hidden Midnight Paper Wandering Northern "
    "Velvet Broken Distant Painted Silver Wild"
)
TITLE_SUBJECTS = _words(
    "Harbour Fox Lighthouse Orchard Skyline Garden Citadel Comet Market Forest Tide "
    "Station Parade Mountain Kite Library Reef"
)
TITLE_SUFFIXES = (
    "",
    "",
    "",
    " — cover",
    " — final",
    " (v2)",
    " (v3)",
    " sketch",
    " — print",
    " spread",
    " poster",
    " key art",
)

SUPPORTED_EXTENSIONS = (".png", ".png", ".jpg", ".jpg", ".tiff", ".webp", ".psd", ".psd")
UNSUPPORTED_EXTENSIONS = (".kra", ".procreate", ".heic", ".xcf", ".clip", ".afphoto")

TAGS = _words("cover print web draft final social merch urgent v2 client hero series archive")

ANALYSIS_TYPES = (
    "metadata_consistency",
    "diffusion_artifacts",
    "gan_fingerprint",
    "style_consistency",
    "c2pa_provenance",
    "brushstroke_dynamics",
    "upscaling_detection",
)
#: Only layered files get this analysis.
LAYER_ANALYSIS = "layer_history"

LAYER_NAMES = (
    "Background",
    "Sketch",
    "Line Art",
    "Flat Colors",
    "Shading",
    "Highlights",
    "Texture",
    "Lettering",
)

SEGMENT_NAMES = (
    "top-left quadrant",
    "top-right quadrant",
    "bottom-left quadrant",
    "bottom-right quadrant",
    "centre",
    "sky",
    "foreground figure",
    "background foliage",
    "face",
    "hands",
    "lettering",
)

FINDINGS = (
    "Texture repeats in a way typical of diffusion upscalers.",
    "Brush strokes lack pressure variation.",
    "Edges are unnaturally smooth for the stated tool.",
    "Hands: finger count and joints are inconsistent.",
    "Lettering dissolves into glyph-like noise.",
    "Lighting direction disagrees with the rest of the scene.",
    "Noise pattern matches a known generator fingerprint.",
    "Fine detail appears without any sketch underneath.",
    "Symmetry too perfect for freehand work.",
    "Colour banding typical of latent-space decoding.",
)
FOLLOW_UPS = (
    "",
    "",
    "\nAsk the artist for the working file with history.",
    "\nCompare with the sketch layer before deciding.",
    "\nLikely a false positive: the texture brush is a known trigger.",
)
