# SPDX-License-Identifier: GPL-2.0
#
# What the userland Makefiles share (userland/, tests/unit/, tests/tools/):
# the version, the compiler, libmnl's flags and the warnings.  Include it
# after setting CFLAGS ?= to the Makefile's own optimisation level.
#
# NFH_TOP	the top of the source tree, wherever make runs
# VERSION	PACKAGE_VERSION of dkms.conf unless given (make VERSION=x)
# MNL_CFLAGS, MNL_LIBS	from pkg-config, or plain -lmnl without it

NFH_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)

VERSION ?= $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(NFH_TOP)/dkms.conf)
CC ?= cc
PKG_CONFIG ?= pkg-config
MNL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libmnl)
MNL_LIBS := $(shell $(PKG_CONFIG) --libs libmnl || echo -lmnl)

CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Werror -std=gnu11
CPPFLAGS += -I$(NFH_TOP)/include/uapi
