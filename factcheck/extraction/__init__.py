"""Article import (placeholder in the admin branch; main's version replaces this file at merge)."""
