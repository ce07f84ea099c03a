/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Run with LANGUAGE=fr: no text the app shows may still be an English source string. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "epsimo-ui-test.h"
#include "epsimo-window.h"
#include "preferences/epsimo-preferences-window.h"

static EpsimoApplication *app;
static GHashTable *english; /* msgids (mnemonics removed) whose translation differs */
static const char *po_path;

static char *
unescape_po (const char *quoted)
{
  const char *start = strchr (quoted, '"');
  const char *end = strrchr (quoted, '"');

  if (start == NULL || end == NULL || end <= start)
    return g_strdup ("");

  {
    g_autofree char *inner = g_strndup (start + 1, end - start - 1);
    return g_strcompress (inner);
  }
}

static char *
without_mnemonic (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (*p != '_')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* A small reader of po/fr.po: enough for msgctxt/msgid/msgstr with continuation lines. */
static void
load_english_strings (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) msgid = g_string_new (NULL);
  g_autoptr(GString) msgstr = g_string_new (NULL);
  GString *current = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (po_path, &contents, NULL, &error);
  g_assert_no_error (error);
  english = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gboolean last = lines[i + 1] == NULL;

      if (g_str_has_prefix (line, "msgid ") || last)
        {
          if (msgid->len > 0 && g_strcmp0 (msgid->str, msgstr->str) != 0)
            g_hash_table_add (english, without_mnemonic (msgid->str));
          g_string_truncate (msgid, 0);
          g_string_truncate (msgstr, 0);
          current = msgid;
        }
      else if (g_str_has_prefix (line, "msgstr "))
        {
          current = msgstr;
        }
      else if (g_str_has_prefix (line, "msgctxt "))
        {
          current = NULL;
          continue;
        }
      if (current != NULL && strchr (line, '"') != NULL && line[0] != '#')
        {
          g_autofree char *text = unescape_po (line);
          g_string_append (current, text);
        }
    }

  g_assert_cmpuint (g_hash_table_size (english), >, 20);
}

static void
assert_all_french (GtkWidget  *root,
                   const char *where)
{
  g_autoptr(GPtrArray) texts = epsimo_ui_test_collect_texts (root);

  g_assert_cmpuint (texts->len, >, 0);
  for (guint i = 0; i < texts->len; i++)
    if (g_hash_table_contains (english, texts->pdata[i]))
      g_error ("%s shows “%s” in English under LANGUAGE=fr", where, (char *) texts->pdata[i]);
}

static gboolean
toplevel_shown (gpointer type)
{
  return epsimo_ui_test_find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static void
test_window_is_french (void)
{
  GtkWidget *window = epsimo_ui_test_find_toplevel (EPSIMO_TYPE_WINDOW);
  GtkWidget *menu_button;

  g_assert_nonnull (window);
  g_assert_nonnull (epsimo_ui_test_find_widget (window, ADW_TYPE_STATUS_PAGE,
                                                "Bienvenue dans Epsimo"));
  assert_all_french (window, "The main window");

  menu_button = epsimo_ui_test_find_widget (window, GTK_TYPE_MENU_BUTTON, NULL);
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  epsimo_ui_test_spin (200);
  g_assert_nonnull (epsimo_ui_test_find_widget (menu_button, GTK_TYPE_LABEL, "Préférences"));
  assert_all_french (menu_button, "The main menu");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));
}

static void
test_preferences_are_french (void)
{
  GtkWidget *preferences;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_true (epsimo_ui_test_wait_for (toplevel_shown,
                                          GSIZE_TO_POINTER (EPSIMO_TYPE_PREFERENCES_WINDOW),
                                          5000));
  preferences = epsimo_ui_test_find_toplevel (EPSIMO_TYPE_PREFERENCES_WINDOW);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (preferences)), ==, "Préférences");
  assert_all_french (preferences, "The preferences");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
test_shortcuts_are_french (void)
{
  GtkWidget *window = epsimo_ui_test_find_toplevel (EPSIMO_TYPE_WINDOW);
  GtkWidget *shortcuts;

  gtk_widget_activate_action (window, "win.show-help-overlay", NULL);
  g_assert_true (epsimo_ui_test_wait_for (toplevel_shown,
                                          GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW), 5000));
  shortcuts = epsimo_ui_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (epsimo_ui_test_find_widget (shortcuts, GTK_TYPE_LABEL, "Quitter"));
  assert_all_french (shortcuts, "The shortcuts window");
  gtk_window_destroy (GTK_WINDOW (shortcuts));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "fr");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("EPSIMO_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  epsimo_ui_test_init (&argc, &argv);
  g_assert_cmpint (argc, ==, 2);
  po_path = argv[1];
  load_english_strings ();
  app = epsimo_ui_test_start_app ();

  g_test_add_func ("/french/window", test_window_is_french);
  g_test_add_func ("/french/preferences", test_preferences_are_french);
  g_test_add_func ("/french/shortcuts", test_shortcuts_are_french);

  status = g_test_run ();
  g_clear_object (&app);
  g_hash_table_unref (english);
  return status;
}
