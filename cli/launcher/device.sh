# Sourced by ./specc: which TensorFlow natives a computing command runs on, the CPU's or the GPU's.

# Sets specc_device (cpu or gpu), specc_device_reason (in words) and specc_device_explicit (true when
# SPECC_DEVICE named it). SPECC_DEVICE: cpu, gpu, or auto (the default: gpu when nvidia-smi -L lists one).
specc_choose_device() {
  specc_device_explicit=true
  case "${SPECC_DEVICE:-auto}" in
    cpu|gpu)
      specc_device="$SPECC_DEVICE"
      specc_device_reason="SPECC_DEVICE=$SPECC_DEVICE" ;;
    auto)
      specc_device_explicit=false
      local listed=""
      if command -v nvidia-smi >/dev/null 2>&1; then
        listed="$(nvidia-smi -L 2>/dev/null | grep -m1 '^GPU ' || true)"
      fi
      if [ -n "$listed" ]; then
        specc_device=gpu
        specc_device_reason="nvidia-smi -L lists ${listed%% (UUID*}"
      else
        specc_device=cpu
        if command -v nvidia-smi >/dev/null 2>&1; then
          specc_device_reason="nvidia-smi -L lists no GPU"
        else
          specc_device_reason="no nvidia-smi on the PATH"
        fi
      fi ;;
    *)
      echo "specc: SPECC_DEVICE must be cpu, gpu or auto, got '$SPECC_DEVICE'" >&2
      return 2 ;;
  esac
}

# Prints the path of TensorFlow's GPU natives jar (the linux-x86_64-gpu build of the version the root pom
# names), fetching it through Maven on first use: about 490 MB, kept in ~/.m2 and copied here.
specc_gpu_natives() {
  local root="$1" version dir jar partial
  version="$(sed -n 's:.*<tensorflow.version>\(.*\)</tensorflow.version>.*:\1:p' "$root/pom.xml" | head -1)"
  if [ -z "$version" ]; then
    echo "specc: no <tensorflow.version> in $root/pom.xml" >&2
    return 1
  fi
  dir="$root/cli/target/natives-gpu"
  jar="$dir/tensorflow-core-native-$version-linux-x86_64-gpu.jar"
  if [ ! -f "$jar" ]; then
    echo "specc: fetching TensorFlow $version's GPU natives (about 490 MB, once; SPECC_DEVICE=cpu skips them)..." >&2
    # Copied into a folder of its own first, so an interrupted copy never leaves a partial jar under the final name.
    partial="$dir/partial.$$"
    rm -rf "$partial"
    if ! (cd "$root" && mvn -q -N dependency:copy \
          -Dartifact="org.tensorflow:tensorflow-core-native:$version:jar:linux-x86_64-gpu" -DoutputDirectory="$partial") >&2 \
        || ! mv "$partial/$(basename "$jar")" "$jar"; then
      rm -rf "$partial"
      echo "specc: could not fetch org.tensorflow:tensorflow-core-native:$version:linux-x86_64-gpu; SPECC_DEVICE=cpu computes on the CPU" >&2
      return 1
    fi
    rm -rf "$partial"
  fi
  echo "$jar"
}
