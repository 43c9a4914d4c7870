/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "stress.h"

START_TEST(badinput)
{
}
