"""How much of the admin an editor reads in Vietnamese (admin_translation_coverage)."""
