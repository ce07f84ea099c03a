/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows the page @name of @stack, making its child visible first. Pages rarely shown (the
 * status pages saying a list is empty, has no match, could not load) are hidden in the
 * templates: a hidden widget is neither styled nor measured, and most windows never show
 * them. */
void epsimo_stack_show_page (GtkStack   *stack,
                             const char *name);

G_END_DECLS
