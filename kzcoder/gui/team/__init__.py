"""Team work in the window: merging another project and agreement between coders."""
