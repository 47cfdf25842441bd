# nginx/: the nginx configuration. stack.conf.template is the whole config
# of a local stack (tools/devstack, tests/integration/stack.py fill in its
# @PLACEHOLDERS@); scheduler.conf.example is a production server block;
# json-errors.conf, which both include, nginx's own answers as JSON.
# All are installed under $(pkgdatadir)/nginx (the example includes
# json-errors.conf from there), with the systemd units of dist/ under
# $(pkgdatadir)/systemd (examples: copy and adjust).
nginxdir = $(pkgdatadir)/nginx
dist_nginx_DATA = nginx/scheduler.conf.example nginx/stack.conf.template \
	nginx/json-errors.conf
systemdunitsdir = $(pkgdatadir)/systemd
dist_systemdunits_DATA = dist/scheduler-api.service \
	dist/scheduler-dispatcher.service
