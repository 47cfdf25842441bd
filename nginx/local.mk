# nginx/: (filled in as the folder grows)
