/**
 * An Azure Blob Storage container (or a folder in one) as the finance share, reached with a SAS
 * URL through @azure/storage-blob, in Node and in the browser alike. Creates are conditional
 * (`If-None-Match: *`), so an existing blob is never replaced; files are uploaded as staged blocks
 * and only appear when their block list is committed, so a cut connection leaves no half file.
 * The SAS never appears in a message: every error is redacted before it leaves this module.
 */
import { StorageRetryOptions } from '@azure/storage-blob';
import { FolderListing } from '../core/publication';
import { BlobPlace, downloadBytes, parseBlobUrl } from './blob-url';
import { CreateFileOptions, redactSecrets, Share, ShareConflictError, ShareError, statusOf } from './share';

const BLOCK = 4 * 1024 * 1024;

export interface BlobShareOptions {
  /** Retries for transient failures; the defaults suit a real network. */
  retryOptions?: StorageRetryOptions;
}

export class BlobShare implements Share {
  private readonly place: BlobPlace;
  readonly location: string;

  constructor(containerUrl: string, options: BlobShareOptions = {}) {
    this.place = parseBlobUrl(containerUrl, options.retryOptions);
    this.location = this.place.display;
  }

  private blob(path: string) {
    return this.place.container.getBlockBlobClient(this.place.prefix + path);
  }

  private failure(what: string, error: unknown): ShareError {
    const message = error instanceof Error ? error.message : String(error);
    return new ShareError(redactSecrets(`${this.location}/${what}: ${message}`, [this.place.sas]));
  }

  async listFolder(folder: string): Promise<FolderListing | undefined> {
    const prefix = this.place.prefix + folder;
    const files: string[] = [];
    const folders: string[] = [];
    try {
      for await (const item of this.place.container.listBlobsByHierarchy('/', { prefix })) {
        const name = item.name.slice(prefix.length);
        if (item.kind === 'prefix') folders.push(name.replace(/\/$/, ''));
        else files.push(name);
      }
    } catch (error) {
      throw this.failure(`${folder} cannot be listed`, error);
    }
    return files.length + folders.length === 0 ? undefined : { files: files.sort(), folders: folders.sort() };
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    try {
      return await downloadBytes(this.blob(path));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw this.failure(`${path} cannot be read`, error);
    }
  }

  async createFile(path: string, bytes: Uint8Array, options: CreateFileOptions = {}): Promise<{ link: string }> {
    const blob = this.blob(path);
    try {
      await blob.uploadData(bytes, {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: options.contentType ? { blobContentType: options.contentType } : undefined,
        blockSize: BLOCK,
        maxSingleShotSize: BLOCK,
        concurrency: 2,
        abortSignal: options.signal,
        onProgress: options.onProgress ? (progress) => options.onProgress!(progress.loadedBytes) : undefined,
      });
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 || status === 412) throw new ShareConflictError(path, this.location);
      throw this.failure(`${path} cannot be written`, error);
    }
    options.onProgress?.(bytes.byteLength);
    return { link: `${this.location}/${path}` };
  }

  async removeFile(path: string): Promise<void> {
    try {
      await this.blob(path).deleteIfExists();
    } catch (error) {
      throw this.failure(`${path} cannot be removed`, error);
    }
  }
}
