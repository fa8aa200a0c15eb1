"""Forms of the pages: they turn what people type into values; services decide the rest."""
