# fcgi/: (filled in as the folder grows)
