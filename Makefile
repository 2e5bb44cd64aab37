# SPDX-License-Identifier: GPL-2.0
#
# make			module (nfhook.ko) and nfhookctl
# make KDIR=DIR		build the module against the kernel build tree DIR
# make unit		the host unit tests of nfhookctl: seconds, no root, no guest
# make check		every test: unit, KUnit, integration in qemu guests, DKMS
# make check-matrix	build and test on every supported kernel (docs/kernels.md)
# make demo		a throwaway guest showing rules dropping and counting traffic
# make shell		a throwaway guest to learn in: nfhook loaded, client --
#			router -- server namespaces ready, a shell on its console
# make docs		regenerate docs/pipeline.md from real pipeline and trace
#			output, captured in a stock-kernel guest (docs/gen/)
# make bench		nfhook against nftables, iptables and XDP, side by side in
#			one stock-kernel guest: table, JSON and chart in
#			bench/results (about an hour under TCG; bench/README.md)
# make bench-quick	the same with fewer rows and packets (under 5 minutes)
# make install		nfhookctl, man page, completion under $(DESTDIR)$(PREFIX)
# make install-service	nfhook.service and /etc/nfhook/rules.conf (boot-time restore)
# make install-modules-load  /etc/modules-load.d/nfhook.conf (load at boot, no rules)
# make dkms-install	module source to /usr/src/nfhook-VERSION, DKMS build and
#			install for KVER (default: the running kernel; a list works)
# make dkms-remove	every DKMS build of this version, and its source
# make deb		Debian packages nfhookctl and nfhook-dkms into DEB_OUTDIR (build/deb)

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SYSCONFDIR ?= /etc
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system
MODULES_LOAD_DIR ?= $(SYSCONFDIR)/modules-load.d
DEB_OUTDIR ?= build/deb

# Without KDIR: the running kernel's build tree, else the newest installed one.
ifeq ($(KDIR),)
KDIR := $(shell d=/lib/modules/$$(uname -r)/build; \
	if [ -d $$d ]; then echo $$d; else \
	ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1; fi)
KDIR_CHOSEN := 1
endif

.PHONY: all module userland clean unit check demo shell install uninstall
.PHONY: install-service uninstall-service install-modules-load uninstall-modules-load
.PHONY: dkms-install dkms-remove deb check-matrix bench bench-quick docs
all: module userland

module:
ifeq ($(KDIR),)
	@echo "nfhook: no kernel build tree found; install linux-headers-\$$(uname -r) or pass KDIR=" >&2
	@false
endif
ifdef KDIR_CHOSEN
	@echo "nfhook: building against $(KDIR)"
endif
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userland:
	$(MAKE) -C userland VERSION=$(VERSION)

clean:
	-[ -z "$(KDIR)" ] || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userland clean

# The fast loop: tests/unit once, with the nfhookctl binary, layering and
# man page checks; no valgrind (make -C userland check adds it).
unit:
	$(MAKE) -C userland unit VERSION=$(VERSION)

check:
	tests/check.sh

check-matrix:
	tests/matrix.sh

demo:
	tests/demo.sh

shell:
	tests/shell.sh

docs:
	docs/gen/pipeline.sh

bench:
	bench/bench.sh --full

bench-quick:
	bench/bench.sh --quick

install:
	$(MAKE) -C userland install PREFIX=$(PREFIX) BINDIR=$(BINDIR) DESTDIR=$(DESTDIR)

uninstall:
	$(MAKE) -C userland uninstall PREFIX=$(PREFIX) BINDIR=$(BINDIR) DESTDIR=$(DESTDIR)

# The unit names nfhookctl by the path "install" gave it. rules.conf is the
# admin's: an existing one is never replaced, nor removed by uninstall-service.
install-service:
	install -d $(DESTDIR)$(SYSTEMD_UNITDIR) $(DESTDIR)$(SYSCONFDIR)/nfhook
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    -e 's|@MODPROBE@|/sbin/modprobe|g' packaging/systemd/nfhook.service.in \
	    >$(DESTDIR)$(SYSTEMD_UNITDIR)/nfhook.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNITDIR)/nfhook.service
	[ -e $(DESTDIR)$(SYSCONFDIR)/nfhook/rules.conf ] || \
	    install -m 0644 packaging/etc/rules.conf $(DESTDIR)$(SYSCONFDIR)/nfhook/rules.conf

uninstall-service:
	rm -f $(DESTDIR)$(SYSTEMD_UNITDIR)/nfhook.service

install-modules-load:
	install -D -m 0644 packaging/modules-load.d/nfhook.conf \
	    $(DESTDIR)$(MODULES_LOAD_DIR)/nfhook.conf

uninstall-modules-load:
	rm -f $(DESTDIR)$(MODULES_LOAD_DIR)/nfhook.conf

dkms-install:
	packaging/dkms.sh install $(KVER)

dkms-remove:
	packaging/dkms.sh remove

deb:
	packaging/build-deb.sh $(DEB_OUTDIR)
