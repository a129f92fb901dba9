"""Publishing: the web edition and archive, assembled from built issues."""
