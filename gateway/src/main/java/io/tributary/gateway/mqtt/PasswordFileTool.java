package io.tributary.gateway.mqtt;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Prints a credentials-file line for a user:
 * {@code java -cp tributary.jar io.tributary.gateway.mqtt.PasswordFileTool NAME [ITERATIONS] >> mqtt-users}.
 * The password is read from the console without echo, or from the first line of standard input.
 */
public final class PasswordFileTool {

    private PasswordFileTool() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args[0].isBlank() || args[0].chars().anyMatch(Character::isWhitespace)) {
            System.err.println("usage: PasswordFileTool USERNAME [ITERATIONS]  (password on the console or stdin)");
            System.exit(2);
        }
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : PasswordHasher.DEFAULT_ITERATIONS;
        char[] password;
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("Password for %s: ", args[0]);
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        System.out.println(CredentialsFile.userLine(args[0], PasswordHasher.hash(password, iterations)));
    }
}
