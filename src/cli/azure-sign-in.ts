/**
 * Sign-in to Azure Resource Manager for the command line: a token in AZURE_ACCESS_TOKEN (for
 * pipelines that already hold one), else @azure/identity's DefaultAzureCredential (environment
 * variables, workload or managed identity, Azure CLI, Azure PowerShell, Azure Developer CLI).
 */
import { InputError } from './failures';

/** The token audience of a Resource Manager endpoint: `https://management.azure.com/.default`. */
export function managementScope(endpoint: string): string {
  return `${new URL(endpoint).origin}/.default`;
}

export function managementToken(endpoint: string, env: NodeJS.ProcessEnv = process.env): () => Promise<string> {
  const fixed = env.AZURE_ACCESS_TOKEN?.trim();
  if (fixed) return async () => fixed;
  let credential: { getToken(scope: string): Promise<{ token: string } | null> } | undefined;
  return async () => {
    if (!credential) {
      const { DefaultAzureCredential } = await import('@azure/identity');
      credential = new DefaultAzureCredential();
    }
    try {
      const token = await credential.getToken(managementScope(endpoint));
      if (!token) throw new Error('no token');
      return token.token;
    } catch (error) {
      throw new InputError(
        `cannot sign in to Azure for ${endpoint}: ${((error as Error).message ?? String(error)).split('\n')[0]} — sign in with az login (or another DefaultAzureCredential source), or set AZURE_ACCESS_TOKEN`,
      );
    }
  };
}
