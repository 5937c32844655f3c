/**
 * Recipes that deploy the development environment (NFS, sshd, web, ...) into any cluster. They arrive with the recipes issue.
 */
@NullMarked
package dev.devkube.recipes;

import org.jspecify.annotations.NullMarked;
