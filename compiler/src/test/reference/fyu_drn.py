"""fyu/drn's drn.py (https://github.com/fyu/drn), imported as a module: read, never copied into this project.

The one loader of drn.py for the reference scripts (drn_logits.py, drn_seg_counts.py, reference_counts.py, and runtime's
torch_weights.py and pytorch/make_fixtures.py). drn.py is taken from the first of:

  $DRN_PY     a drn.py file
  $DRN_REPO   a checkout of fyu/drn: a work tree (DRN_REPO/drn.py) or a bare git directory (git show HEAD:drn.py)
  /work/.mirror/fyu+drn/repo, the bare mirror this project was checked with

Scripts in other folders import it after adding this folder to sys.path.
"""
import importlib.util
import os
import subprocess
import tempfile

DEFAULT_REPO = "/work/.mirror/fyu+drn/repo"


def drn_py_path():
    """A path to drn.py on disk, from $DRN_PY, $DRN_REPO or the default mirror (written to a temporary file)."""
    if os.environ.get("DRN_PY"):
        return os.environ["DRN_PY"]
    repo = os.environ.get("DRN_REPO") or DEFAULT_REPO
    if os.path.isfile(os.path.join(repo, "drn.py")):
        return os.path.join(repo, "drn.py")
    try:
        source = subprocess.run(["git", "--git-dir=" + repo, "show", "HEAD:drn.py"], check=True,
                                capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit(f"cannot read drn.py from {repo} ({e}); set DRN_REPO to a checkout of "
                         "https://github.com/fyu/drn or DRN_PY to its drn.py")
    path = os.path.join(tempfile.mkdtemp(), "drn.py")
    with open(path, "w") as f:
        f.write(source)
    return path


def source(name):
    """The text of another file of the fyu/drn checkout (segment.py), from $DRN_REPO or the default mirror."""
    repo = os.environ.get("DRN_REPO") or DEFAULT_REPO
    if os.path.isfile(os.path.join(repo, name)):
        with open(os.path.join(repo, name)) as f:
            return f.read()
    try:
        return subprocess.run(["git", "--git-dir=" + repo, "show", "HEAD:" + name], check=True,
                              capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit(f"cannot read {name} from {repo} ({e}); set DRN_REPO to a checkout of https://github.com/fyu/drn")


def load():
    """drn.py as a module named drn."""
    spec = importlib.util.spec_from_file_location("drn", drn_py_path())
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
