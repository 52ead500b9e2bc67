# lit configuration for tcnn's tests.
import os

import lit.formats

config.name = "tcnn"
config.test_format = lit.formats.ShTest(execute_external=True)
# .tcnn files are tests too: every malformed-model test is a model file
# whose RUN line expects tcnnc to reject it.
config.suffixes = [".mlir", ".tcnn", ".test", ".py"]
config.excludes = ["Inputs", "lib", "corpus", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tcnn_obj_root, "test")

path = os.pathsep.join(
    [config.tcnn_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])]
)
config.environment["PATH"] = path
config.environment["PYTHONPATH"] = os.path.join(config.test_source_root, "lib")

config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%examples", os.path.join(config.tcnn_src_root, "examples")))
config.substitutions.append(("%testlib", os.path.join(config.test_source_root, "lib")))
config.substitutions.append(("%tcnn_obj", config.tcnn_obj_root))
config.substitutions.append(("%tcnn_src", config.tcnn_src_root))
# Headless Chromium as the issue of the HTML report asks, with the flags
# this machine's closed network needs.
config.substitutions.append(("%chromium", "chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"))
