# Shared by the layer Makefiles that `sam build` runs (Metadata: BuildMethod: makefile).
# pip installs what Lambda runs (CPython 3.13 on arm64, Amazon Linux 2023 with glibc 2.34), never what
# the build host is: only wheels (no source builds that would compile for the host), for manylinux
# aarch64 up to glibc 2.34. Pillow, for one, ships aarch64 wheels only as manylinux_2_28.
PIP_LAMBDA_TARGET = --only-binary=:all: --implementation cp --python-version 3.13 --abi cp313 \
	--platform manylinux2014_aarch64 --platform manylinux_2_28_aarch64 --platform manylinux_2_34_aarch64
PIP_INSTALL = python3 -m pip install --quiet --disable-pip-version-check --no-compile $(PIP_LAMBDA_TARGET)
# Lambda's code directories are read-only, so Python cannot cache what it compiles there: each layer ships
# bytecode for python3.13, written by a real CPython 3.13 (devstack/python313.py, from Debian's registry).
COMPILE_FOR_LAMBDA := python3 $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../devstack/python313.py) compile
# The PDF's fallback fonts (CJK, emoji) come from Debian's archive, not git (devstack/fonts.py).
FETCH_FALLBACK_FONTS := python3 $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../devstack/fonts.py)
