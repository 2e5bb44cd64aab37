# SPDX-License-Identifier: GPL-2.0
#
# make			module (nfhook.ko) and nfhookctl
# make KDIR=DIR		build the module against the kernel build tree DIR
# make check		every test: unit, KUnit, integration in qemu guests, DKMS
# make demo		a throwaway guest showing rules dropping and counting traffic
# make install		nfhookctl, man page, completion under $(DESTDIR)$(PREFIX)

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
PREFIX ?= /usr/local

# Without KDIR: the running kernel's build tree, else the newest installed one.
ifeq ($(KDIR),)
KDIR := $(shell d=/lib/modules/$$(uname -r)/build; \
	if [ -d $$d ]; then echo $$d; else \
	ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1; fi)
KDIR_CHOSEN := 1
endif

.PHONY: all module userland clean check demo install uninstall
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

check:
	tests/check.sh

demo:
	tests/demo.sh

install:
	$(MAKE) -C userland install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

uninstall:
	$(MAKE) -C userland uninstall PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
