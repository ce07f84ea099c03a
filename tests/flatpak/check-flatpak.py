#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flatpak manifests agree with meson, the built desktop file and metainfo.

Flatpak exports only the desktop file, metainfo and icons named after the app id, runs the
manifest's "command", and grants nothing beyond finish-args: a mismatch here is an app that
installs but has no launcher, no icon, no store page, or more access than it needs.
"""
import argparse
import configparser
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

# The sandbox the app needs, and nothing more (README.md, "Flatpak", says why each is there).
FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
]
# Access that a portal already gives, or that the app must never have, and why.
FORBIDDEN = [
    (r"^--filesystem", "files are opened through the file chooser portal and drag and drop"),
    (r"^--talk-name=org\.freedesktop\.secrets", "secrets go through the Secret portal"),
    (r"^--talk-name=org\.freedesktop\.Notifications", "GNotification uses the portal"),
    (r"^--talk-name=org\.freedesktop\.portal", "portals need no talk-name"),
    (r"^--socket=(x11|session-bus|system-bus|pulseaudio|ssh-auth|pcsc|cups)$",
     "not needed by the app"),
    (r"^--device=(all|kvm|shm)$", "only the GPU (dri) is needed"),
    (r"^--(own|talk|system-talk|system-own)-name=", "the app talks to no other D-Bus name"),
]
RUNTIME = ("org.gnome.Platform", "org.gnome.Sdk")
SHA256 = re.compile(r"^[0-9a-f]{64}$")

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def without_comments(node):
    """Drops the "//" keys: flatpak-builder ignores them, they are the manifests' comments."""
    if isinstance(node, dict):
        return {k: without_comments(v) for k, v in node.items() if not k.startswith("//")}
    if isinstance(node, list):
        return [without_comments(v) for v in node]
    return node


def load_manifest(path):
    with open(path, encoding="utf-8") as f:
        manifest = without_comments(json.load(f))
    base = os.path.dirname(os.path.abspath(path))

    def resolve(modules):
        resolved = []
        for module in modules:
            if isinstance(module, str):
                # A module kept in a file of its own, relative to the manifest.
                with open(os.path.join(base, module), encoding="utf-8") as f:
                    module = without_comments(json.load(f))
            module["modules"] = resolve(module.get("modules", []))
            resolved.append(module)
        return resolved

    manifest["modules"] = resolve(manifest.get("modules", []))
    manifest["__dir__"] = base
    return manifest


def all_modules(modules):
    for module in modules:
        yield module
        yield from all_modules(module.get("modules", []))


def check_manifest(name, manifest, expected_id, development, args):
    app_id = manifest.get("id", manifest.get("app-id"))
    check(app_id == expected_id, f"{name}: id is {app_id!r}, meson says {expected_id!r}")
    check(manifest.get("command") == args.program,
          f"{name}: command is {manifest.get('command')!r}, meson installs {args.program!r}")
    check((manifest.get("runtime"), manifest.get("sdk")) == RUNTIME,
          f"{name}: runtime and sdk should be {RUNTIME}")

    finish_args = manifest.get("finish-args", [])
    for arg in finish_args:
        why = next((why for pattern, why in FORBIDDEN if re.search(pattern, arg)), None)
        check(why is None, f"{name}: {arg} must not be there: {why}")
    check(len(set(finish_args)) == len(finish_args), f"{name}: a finish-arg is repeated")
    check(sorted(finish_args) == sorted(FINISH_ARGS),
          f"{name}: finish-args are {finish_args}, expected {FINISH_ARGS}")

    modules = list(all_modules(manifest["modules"]))
    for module in modules:
        for source in module.get("sources", []):
            if "url" in source:
                # A download is pinned: https, and a checksum flatpak-builder verifies.
                check(source["url"].startswith("https://"),
                      f"{name}: {module['name']}: {source['url']} is not https")
                if source.get("type") in ("archive", "file"):
                    check(SHA256.match(source.get("sha256", "")),
                          f"{name}: {module['name']}: {source['url']} has no sha256")
                if source.get("type") == "git":
                    check("commit" in source,
                          f"{name}: {module['name']}: git source without a commit")

    app = manifest["modules"][-1] if manifest["modules"] else {}
    check(app.get("name") == args.project,
          f"{name}: the last module should build {args.project!r}, not {app.get('name')!r}")
    check(app.get("buildsystem") == "meson", f"{name}: the app module should use meson")
    opts = app.get("config-opts", [])
    wanted = f"-Ddevelopment={'true' if development else 'false'}"
    check(wanted in opts, f"{name}: the app module should configure with {wanted}")
    sources = app.get("sources", [])
    check(len(sources) == 1, f"{name}: the app module should have one source")
    if sources:
        source = sources[0]
        where = os.path.normpath(os.path.join(manifest["__dir__"], source.get("path", "")))
        if development:
            # The Devel build is the checkout itself.
            check(source.get("type") == "dir" and os.path.samefile(where, args.source_root),
                  f"{name}: the app source should be the checkout ({args.source_root})")
        else:
            # The release build is the tarball `meson dist` makes for this version.
            tarball = f"{args.project}-{args.version}.tar.xz"
            check(source.get("type") == "archive" and os.path.basename(where) == tarball,
                  f"{name}: the app source should be meson dist's {tarball}")
    return finish_args


def check_desktop_file(path, app_id, command):
    check(os.path.basename(path) == f"{app_id}.desktop",
          f"{path}: flatpak exports only {app_id}.desktop")
    desktop = configparser.ConfigParser(interpolation=None, strict=False)
    desktop.optionxform = str
    desktop.read(path, encoding="utf-8")
    entry = desktop["Desktop Entry"]
    exec_line = entry.get("Exec", "").split()
    check(exec_line and exec_line[0] == command,
          f"{path}: Exec runs {exec_line[:1]}, the manifest's command is {command!r}")
    check(entry.get("Icon") == app_id, f"{path}: Icon should be {app_id} (exported icon name)")
    if entry.get("DBusActivatable", "false") == "true":
        failures.append(f"{path}: DBusActivatable needs a D-Bus service file named {app_id}")


def check_metainfo(path, app_id, version, finish_args, source_root):
    check(os.path.basename(path) == f"{app_id}.metainfo.xml",
          f"{path}: flatpak exports only {app_id}.metainfo.xml")
    root = ET.parse(path).getroot()
    check(root.findtext("id") == app_id, f"{path}: <id> is {root.findtext('id')!r}")
    launchable = root.find("launchable[@type='desktop-id']")
    check(launchable is not None and launchable.text == f"{app_id}.desktop",
          f"{path}: the launchable should be {app_id}.desktop")
    releases = root.findall("releases/release")
    check(releases and releases[0].get("version") == version,
          f"{path}: the newest release should be {version}, as in meson")
    # A networked app says so on its store page, and only then has the network.
    internet = root.findtext("requires/internet") or root.findtext("recommends/internet")
    check((internet == "always") == ("--share=network" in finish_args),
          f"{path}: <requires><internet>always</internet> and --share=network go together")
    check(root.find("requires/display_length") is not None and
          "--socket=wayland" in finish_args and "--socket=fallback-x11" in finish_args,
          f"{path}: a graphical app needs the wayland and fallback-x11 sockets")
    for image in root.iter("image"):
        # Screenshots point at the repository: the file must be in it.
        match = re.search(r"/main/(data/screenshots/[^/]+)$", image.text or "")
        check(match and os.path.isfile(os.path.join(source_root, match.group(1))),
              f"{path}: screenshot {image.text} is not a file of data/screenshots/")


def check_installed(path, app_id, command):
    with open(path, encoding="utf-8") as f:
        installed = list(json.load(f).values())
    check(any(p.endswith(f"/bin/{command}") for p in installed),
          f"meson installs no bin/{command}, the manifest's command")
    for p in installed:
        # Flatpak exports these only when the file name starts with the app id.
        for exported in ("/share/applications/", "/share/metainfo/", "/share/icons/",
                         "/share/dbus-1/services/"):
            if exported in p:
                check(os.path.basename(p).startswith(app_id),
                      f"{p}: not named after {app_id}, so Flatpak does not export it")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for option in ("app-id", "base-id", "program", "project", "version", "desktop",
                   "metainfo", "installed", "source-root", "release", "devel"):
        parser.add_argument(f"--{option}", required=True)
    args = parser.parse_args()

    release = load_manifest(args.release)
    devel = load_manifest(args.devel)
    release_args = check_manifest("release manifest", release, args.base_id, False, args)
    devel_args = check_manifest("Devel manifest", devel, f"{args.base_id}.Devel", True, args)
    check(sorted(release_args) == sorted(devel_args),
          "the release and Devel manifests grant different finish-args")
    check(all(release.get(k) == devel.get(k) for k in ("runtime", "runtime-version", "sdk")),
          "the release and Devel manifests use different runtimes")
    check(release["modules"][:-1] == devel["modules"][:-1],
          "the release and Devel manifests build different dependencies")

    # The desktop file and metainfo were built for this build's profile: the manifest of the
    # same app id is checked against them (the other differs only by the id meson substitutes).
    current = release if args.app_id == args.base_id else devel
    check(current.get("id") == args.app_id, f"no manifest has this build's id {args.app_id}")
    check_desktop_file(args.desktop, args.app_id, current.get("command"))
    check_metainfo(args.metainfo, args.app_id, args.version, current.get("finish-args", []),
                   args.source_root)
    check_installed(args.installed, args.app_id, current.get("command"))

    for failure in failures:
        print("FAIL:", failure)
    if failures:
        return 1
    print(f"Both manifests agree with meson, {os.path.basename(args.desktop)} and "
          f"{os.path.basename(args.metainfo)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
