/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Adds the credits widgets' style sheet to @display, once. */
void epsimo_credits_style_ensure (GdkDisplay *display);

G_END_DECLS
