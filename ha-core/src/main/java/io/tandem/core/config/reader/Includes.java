package io.tandem.core.config.reader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resolves the file name of an {@code include} line, like keepalived's glob() call: relative to the
 * directory of the including file, with {@code * ? [..]} and csh-style {@code {a,b}} braces, sorted.
 */
final class Includes {
    private static final int MAX_BRACE_DEPTH = 16;

    private Includes() {
    }

    /** The include keywords: {@code include} and its checked variants {@code includer/m/w/b/a}. */
    static boolean isIncludeKeyword(String word) {
        return switch (word) {
            case "include", "includer", "includem", "includew", "includeb", "includea" -> true;
            default -> false;
        };
    }

    static boolean hasGlob(String pattern) {
        return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** The regular files matching {@code pattern}, sorted; empty when none match. */
    static List<Path> expand(Path baseDir, String pattern) {
        Path full;
        try {
            full = baseDir.resolve(pattern).normalize();
        } catch (InvalidPathException e) {
            return List.of();
        }
        if (!hasGlob(pattern)) {
            return Files.isRegularFile(full) ? List.of(full) : List.of();
        }
        Path root = full.getRoot() == null ? baseDir : full.getRoot();
        int fixed = 0;
        while (fixed < full.getNameCount() && !hasGlob(full.getName(fixed).toString())) {
            root = root.resolve(full.getName(fixed).toString());
            fixed++;
        }
        int depth = pattern.contains("{") ? MAX_BRACE_DEPTH : full.getNameCount() - fixed;
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + full);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root, depth)) {
            return walk.filter(p -> matcher.matches(p) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }
}
