# nginx/: the nginx configuration. stack.conf.template is the whole config
# of a local stack (tools/devstack, tests/integration/stack.py fill in its
# @PLACEHOLDERS@); scheduler.conf.example is a production server block.
# Both are installed under $(pkgdatadir)/nginx, with the systemd units of
# dist/ under $(pkgdatadir)/systemd (examples: copy and adjust).
nginxdir = $(pkgdatadir)/nginx
dist_nginx_DATA = nginx/scheduler.conf.example nginx/stack.conf.template
systemdunitsdir = $(pkgdatadir)/systemd
dist_systemdunits_DATA = dist/scheduler-api.service \
	dist/scheduler-dispatcher.service
