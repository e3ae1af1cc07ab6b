# Shared by the layer Makefiles that `sam build` runs (Metadata: BuildMethod: makefile).
# pip installs what Lambda runs (CPython 3.13 on arm64, Amazon Linux 2023 with glibc 2.34), never what
# the build host is: only wheels (no source builds that would compile for the host), for manylinux
# aarch64 up to glibc 2.34. Pillow, for one, ships aarch64 wheels only as manylinux_2_28.
PIP_LAMBDA_TARGET = --only-binary=:all: --implementation cp --python-version 3.13 --abi cp313 \
	--platform manylinux2014_aarch64 --platform manylinux_2_28_aarch64 --platform manylinux_2_34_aarch64
PIP_INSTALL = python3 -m pip install --quiet --disable-pip-version-check --no-compile $(PIP_LAMBDA_TARGET)
