#!/usr/bin/env bash
# Builds the three libFuzzer targets with AddressSanitizer and runs each for a bounded time.
#   Fuzz/run.sh [SECONDS]        (make fuzz; FUZZ_SECONDS=600 make fuzz for a longer run)
# Crashes are written to .build/fuzz/crashes/; replay one with .build/fuzz/<target> <file>.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
OUT=.build/fuzz
mkdir -p "$OUT/modules" "$OUT/crashes"
SWIFTC="${SWIFTC:-swiftc}"
# The linker warns about every sanitizer helper symbol; keep the rest of its output.
quiet() { "$@" 2> >(grep -v "Cannot export local symbol" >&2); }
FLAGS=(-sanitize=fuzzer,address -parse-as-library -Onone -g -swift-version 6)

[ -d .build/checkouts/swift-mustache ] || swift package resolve
MUSTACHE=.build/checkouts/swift-mustache/Sources/Mustache

echo "fuzz: building the decoder target"
quiet "$SWIFTC" "${FLAGS[@]}" -module-name TenantModel Sources/TenantModel/*.swift Fuzz/DecoderFuzz.swift -o "$OUT/decoder"

echo "fuzz: building the template target"
quiet "$SWIFTC" "${FLAGS[@]}" -module-name TenantModel -emit-module -emit-module-path "$OUT/modules/TenantModel.swiftmodule" \
    -emit-library -static -o "$OUT/modules/libTenantModel.a" Sources/TenantModel/*.swift
quiet "$SWIFTC" "${FLAGS[@]}" -module-name Mustache -emit-module -emit-module-path "$OUT/modules/Mustache.swiftmodule" \
    -emit-library -static -o "$OUT/modules/libMustache.a" "$MUSTACHE"/*.swift
quiet "$SWIFTC" "${FLAGS[@]}" -module-name SiteRender -I "$OUT/modules" -I Sources/CCmarkGFM -L "$OUT/modules" -lTenantModel -lMustache \
    -lcmark-gfm -lcmark-gfm-extensions Sources/SiteRender/*.swift Fuzz/TemplateFuzz.swift -o "$OUT/template"

echo "fuzz: building the pipeline target"
quiet "$SWIFTC" "${FLAGS[@]}" -module-name SiteRender -I "$OUT/modules" -I Sources/CCmarkGFM -L "$OUT/modules" -lTenantModel -lMustache \
    -emit-module -emit-module-path "$OUT/modules/SiteRender.swiftmodule" -emit-library -static -o "$OUT/modules/libSiteRender.a" \
    Sources/SiteRender/*.swift
mkdir -p "$OUT/modules/CFileSwap"
cp Sources/CFileSwap/include/CFileSwap.h "$OUT/modules/CFileSwap/"
printf 'module CFileSwap {\n    header "CFileSwap.h"\n    export *\n}\n' > "$OUT/modules/CFileSwap/module.modulemap"
clang -c -fsanitize=fuzzer-no-link,address -g -O0 Sources/CFileSwap/swap.c -I Sources/CFileSwap/include -o "$OUT/modules/swap.o"
quiet "$SWIFTC" "${FLAGS[@]}" -module-name SiteBuild -I "$OUT/modules" -I "$OUT/modules/CFileSwap" -I Sources/CCmarkGFM -I Sources/CYAML \
    -L "$OUT/modules" -lSiteRender -lTenantModel -lMustache -lcmark-gfm -lcmark-gfm-extensions -lyaml "$OUT/modules/swap.o" \
    $(find Sources/SiteBuild -name '*.swift') Fuzz/PipelineFuzz.swift -o "$OUT/pipeline"

# Seeds: the demo snapshots, and each page template followed by a NUL and a sample value.
rm -rf "$OUT/corpus-decoder" "$OUT/corpus-template" "$OUT/corpus-pipeline"
mkdir -p "$OUT/corpus-decoder" "$OUT/corpus-template" "$OUT/corpus-pipeline"
cp content/tenants/*.json "$OUT/corpus-decoder/"
cp content/tenants/*.json "$OUT/corpus-pipeline/"
# Inputs that once found something (or were false alarms of the target's own check) run first, every time.
for target in decoder template pipeline; do
    [ -d "Fuzz/seeds/$target" ] && cp Fuzz/seeds/$target/* "$OUT/corpus-$target/" 2>/dev/null || true
done
for t in templates/pages/*.md; do
    { cat "$t"; printf '\0| <b>x</b> {{a}} 2024. [y](javascript:z)'; } > "$OUT/corpus-template/$(basename "$t")"
done

# Leak detection off: LeakSanitizer reports the template target's global templates as leaked (Swift packs enum
# payload pointers with tag bits, so it cannot see they are reachable). Memory errors are still caught by ASan.
status=0
for target in decoder template pipeline; do
    echo "fuzz: running $target for $SECONDS_EACH s"
    if ! ASAN_OPTIONS=detect_leaks=0 "$OUT/$target" "$OUT/corpus-$target" $( [ -f "Fuzz/$target.dict" ] && echo "-dict=Fuzz/$target.dict" ) -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 -max_len=262144 \
        -artifact_prefix="$OUT/crashes/$target-" -print_final_stats=1 2>"$OUT/$target.log"; then
        status=1
        echo "fuzz: $target FOUND A PROBLEM; see $OUT/$target.log and $OUT/crashes/"
        tail -40 "$OUT/$target.log"
    else
        grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|Done [0-9]+ runs" "$OUT/$target.log" | sed "s/^/fuzz: $target: /"
    fi
done
exit $status
